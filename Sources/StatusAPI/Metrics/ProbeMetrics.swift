import CamProbeCore
import Prometheus
import Synchronization

/// The daemon's own Prometheus series. The daemon calls ``update(_:)``
/// whenever a camera's published status changes or a probe measured it,
/// ``recordProbe(outcome:duration:)`` after every probe,
/// ``setSchedulerLag(seconds:)`` from the scheduler, and
/// ``retainCameras(_:)`` after a reload. Hand it to ``MetricsServer`` as a
/// collector.
///
/// Per camera (one series each, `camera` = inventory id):
/// - `camprobe_camera_up{camera,school,region}`: 1 up or degraded (the stream
///   works), 0 down; no series while the state is unknown, so a restart does
///   not alert. The only per-camera series with school and region: join the
///   others on `camera`.
/// - `camprobe_camera_state{camera}`: 0 unknown, 1 up, 2 degraded, 3 down. A
///   number rather than one series per state: a quarter of the series.
/// - `camprobe_camera_fps{camera}`, `camprobe_camera_width{camera}`,
///   `camprobe_camera_height{camera}`: measured on the last probe that got that
///   far; no series when nothing was measured.
/// - `camprobe_archive_days{camera}`, `camprobe_archive_gaps{camera}`,
///   `camprobe_archive_clock_offset_seconds{camera}`: the recorder channel's last
///   archive measurement (days recorded, holes found, recorder clock minus ours);
///   no series for a camera without a recorder or before its recorder was measured.
///
/// Aggregates, in the registry (bounded whatever the inventory):
/// - `camprobe_cameras{region,state}`: cameras per region and state.
/// - `camprobe_probe_duration_seconds`: histogram of probe wall time.
/// - `camprobe_probes_total{outcome}`: `ok`, or the probe's failure code
///   (`refused`, `timeout.handshake`, … about twenty values).
/// - `camprobe_pictures_total{how}`: pictures judged, `decoded` (a keyframe
///   decoded) or `carried` (the last decoded picture carried, see `PictureCarry`).
/// - `camprobe_scheduler_lag_seconds`: how late the last probe started.
/// - `camprobe_store_commits_total`: transactions committed to the state database.
/// - `camprobe_scheduler_behind`: 1 while the schedule counts as behind (a lag
///   that lasted, see `ScheduleLagWatch`), else 0.
///
/// Cardinality: at most 8 series per camera (160,000 for a 20,000-camera
/// region, about 10 MB per scrape; the archive's 3 only behind recorders) plus a few hundred aggregates. No label
/// carries a reason, a URL or anything that changes from probe to probe; a
/// camera removed from the inventory loses its series on the next
/// ``retainCameras(_:)``. Where that is still too many, drop
/// `camprobe_camera_.*` with a `metric_relabel_configs` rule: the aggregates
/// and the status socket keep the detail.
///
/// The per-camera series live here, not in the registry: the registry copies a
/// metric family's whole label table each time a series is added, which made
/// registering 20,000 cameras take minutes. Here a camera is one dictionary
/// entry with its labels rendered once, and a scrape writes them out.
public final class ProbeMetrics: MetricsCollector {
    /// Probe wall time: a 2 s window plus handshakes; the bound is
    /// 2 × timeout + window + 1 s, about 13 s with the defaults.
    public static let durationBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .milliseconds(2500),
        .seconds(3), .seconds(4), .seconds(5), .milliseconds(7500), .seconds(10), .seconds(15), .seconds(30),
    ]

    private let registry: PrometheusCollectorRegistry
    private let probeDuration: DurationHistogram
    private let schedulerLag: Gauge
    private let schedulerBehind: Gauge
    private let storeCommits: Counter
    private let picturesDecoded: Counter
    private let picturesCarried: Counter
    private let state = Mutex(State())

    private struct State {
        var cameras: [String: CameraSeries] = [:]
        var stateCounts: [RegionState: Int] = [:]
        var stateGauges: [RegionState: Gauge] = [:]
        var outcomes: [String: Counter] = [:]
    }

    private struct RegionState: Hashable {
        var region: String
        var state: MonitorState
    }

    /// One camera's values and its rendered label sets.
    private struct CameraSeries {
        var school: String
        var region: String
        var state: MonitorState
        /// `{camera="…"}`
        var cameraLabels: String
        /// `{camera="…",school="…",region="…"}`
        var upLabels: String
        var fps: Double?
        var width: Double?
        var height: Double?
        var archiveDays: Double?
        var archiveGaps: Double?
        var archiveClockOffset: Double?
    }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        probeDuration = registry.makeDurationHistogram(
            descriptor: Series.probeDuration.descriptor, buckets: Self.durationBuckets)
        schedulerLag = registry.makeGauge(descriptor: Series.schedulerLag.descriptor)
        schedulerBehind = registry.makeGauge(descriptor: Series.schedulerBehind.descriptor)
        schedulerBehind.set(to: 0)
        storeCommits = registry.makeCounter(descriptor: Series.storeCommits.descriptor)
        picturesDecoded = registry.makeCounter(descriptor: Series.pictures.descriptor, labels: [("how", "decoded")])
        picturesCarried = registry.makeCounter(descriptor: Series.pictures.descriptor, labels: [("how", "carried")])
    }

    // MARK: Probes

    /// One finished probe. `outcome` is `ok` or the failure's qualified code.
    public func recordProbe(outcome: String, duration: Duration) {
        probeDuration.record(duration)
        let counter = state.withLock { state in
            if let counter = state.outcomes[outcome] { return counter }
            let counter = registry.makeCounter(descriptor: Series.probes.descriptor, labels: [("outcome", outcome)])
            state.outcomes[outcome] = counter
            return counter
        }
        counter.increment()
    }

    /// One finished probe, its outcome and duration read off the report, and
    /// how its picture was judged.
    public func recordProbe(_ report: ProbeReport) {
        recordProbe(
            outcome: report.failure?.qualifiedCode ?? "ok",
            duration: .milliseconds(Int64((max(report.duration, 0) * 1000).rounded())))
        if let picture = report.picture {
            (picture.carriedFrom == nil ? picturesDecoded : picturesCarried).increment()
        }
    }

    /// How late the last probe started against its schedule.
    public func setSchedulerLag(seconds: Double) {
        schedulerLag.set(to: max(seconds, 0))
    }

    /// One transaction committed to the state database.
    public func countCommit() {
        storeCommits.increment()
    }

    /// Whether the schedule counts as behind.
    public func setSchedulerBehind(_ behind: Bool) {
        schedulerBehind.set(to: behind ? 1 : 0)
    }

    // MARK: Cameras

    /// Sets a camera's series from its published status.
    public func update(_ camera: CameraStatus) {
        state.withLock { state in
            var series: CameraSeries
            if let existing = state.cameras[camera.id] {
                series = existing
                adjustCount(&state, RegionState(region: series.region, state: series.state), by: -1)
                if series.school != camera.school || series.region != camera.region {
                    series.school = camera.school
                    series.region = camera.region
                    series.upLabels = Self.upLabels(camera)
                }
            } else {
                series = CameraSeries(
                    school: camera.school, region: camera.region, state: camera.state,
                    cameraLabels: PrometheusText.labels([("camera", camera.id)]), upLabels: Self.upLabels(camera))
            }
            series.state = camera.state
            series.fps = camera.frameRate.flatMap { $0.isFinite ? $0 : nil }
            series.width = camera.width.map(Double.init)
            series.height = camera.height.map(Double.init)
            series.archiveDays = camera.archive?.days
            series.archiveGaps = camera.archive.flatMap { $0.days == nil ? nil : Double($0.gaps.count) }
            series.archiveClockOffset = camera.archive?.clockOffset
            adjustCount(&state, RegionState(region: camera.region, state: camera.state), by: 1)
            state.cameras[camera.id] = series
        }
    }

    /// Drops the series of every camera not in `ids` (after a reload).
    public func retainCameras(_ ids: Set<String>) {
        state.withLock { state in
            for id in state.cameras.keys where !ids.contains(id) { remove(id, from: &state) }
        }
    }

    /// `camprobe_camera_state`'s value for a state.
    public static func number(_ state: MonitorState) -> Int {
        switch state {
        case .unknown: 0
        case .up: 1
        case .degraded: 2
        case .down: 3
        }
    }

    // MARK: Scrape

    /// Writes the per-camera families; the registry writes the aggregates.
    public func emit(into buffer: inout [UInt8]) {
        // The series copied out as an array, under the lock: the text is then
        // written without it. (Holding the dictionary instead made the next
        // update copy all of it: 6 MiB per scrape for a region.)
        let cameras = state.withLock { Array($0.cameras.values) }
        guard !cameras.isEmpty else { return }
        func family(_ series: Series, _ sample: (CameraSeries) -> (String, Double)?) {
            let start = buffer.count
            PrometheusText.header(series.rawValue, type: "gauge", help: series.help, into: &buffer)
            let headerEnd = buffer.count
            for camera in cameras {
                if let (labels, value) = sample(camera) { PrometheusText.sample(series.rawValue, labels, value, into: &buffer) }
            }
            // A family without samples is left out, header and all.
            if buffer.count == headerEnd { buffer.removeSubrange(start...) }
        }
        family(.up) { $0.state == .unknown ? nil : ($0.upLabels, $0.state == .down ? 0 : 1) }
        family(.state) { ($0.cameraLabels, Double(Self.number($0.state))) }
        family(.fps) { camera in camera.fps.map { (camera.cameraLabels, $0) } }
        family(.width) { camera in camera.width.map { (camera.cameraLabels, $0) } }
        family(.height) { camera in camera.height.map { (camera.cameraLabels, $0) } }
        family(.archiveDays) { camera in camera.archiveDays.map { (camera.cameraLabels, $0) } }
        family(.archiveGaps) { camera in camera.archiveGaps.map { (camera.cameraLabels, $0) } }
        family(.archiveClockOffset) { camera in camera.archiveClockOffset.map { (camera.cameraLabels, $0) } }
    }

    private static func upLabels(_ camera: CameraStatus) -> String {
        PrometheusText.labels([("camera", camera.id), ("school", camera.school), ("region", camera.region)])
    }

    private func remove(_ id: String, from state: inout State) {
        guard let series = state.cameras.removeValue(forKey: id) else { return }
        adjustCount(&state, RegionState(region: series.region, state: series.state), by: -1)
    }

    private func adjustCount(_ state: inout State, _ key: RegionState, by delta: Int) {
        let count = (state.stateCounts[key] ?? 0) + delta
        state.stateCounts[key] = count
        let gauge = state.stateGauges[key] ?? registry.makeGauge(
            descriptor: Series.cameras.descriptor, labels: [("region", key.region), ("state", key.state.rawValue)])
        state.stateGauges[key] = gauge
        gauge.set(to: Double(count))
    }

    /// Every series' name and help text, in one place: the registry refuses a
    /// second, different help text for a name.
    private enum Series: String {
        case up = "camprobe_camera_up"
        case state = "camprobe_camera_state"
        case fps = "camprobe_camera_fps"
        case width = "camprobe_camera_width"
        case height = "camprobe_camera_height"
        case archiveDays = "camprobe_archive_days"
        case archiveGaps = "camprobe_archive_gaps"
        case archiveClockOffset = "camprobe_archive_clock_offset_seconds"
        case cameras = "camprobe_cameras"
        case probeDuration = "camprobe_probe_duration_seconds"
        case probes = "camprobe_probes_total"
        case schedulerLag = "camprobe_scheduler_lag_seconds"
        case schedulerBehind = "camprobe_scheduler_behind"
        case storeCommits = "camprobe_store_commits_total"
        case pictures = "camprobe_pictures_total"

        var help: String {
            switch self {
            case .up: "1 when the camera's stream works (up or degraded), 0 when it is down; absent while unknown."
            case .state: "The camera's published state: 0 unknown, 1 up, 2 degraded, 3 down."
            case .fps: "Frame rate measured on the camera's last probe, frames per second."
            case .width: "Picture width measured on the camera's last probe, pixels."
            case .height: "Picture height measured on the camera's last probe, pixels."
            case .archiveDays: "Days of recordings the camera's recorder keeps (holes subtracted), at its last archive measurement."
            case .archiveGaps: "Holes found in the camera's recordings at the last archive measurement."
            case .archiveClockOffset: "The camera's recorder clock minus ours at the last archive measurement, seconds."
            case .cameras: "Cameras per region and published state."
            case .probeDuration: "Wall time of one probe."
            case .probes: "Finished probes by outcome: ok, or the failure code."
            case .schedulerLag: "How late the last probe started against its schedule, seconds."
            case .pictures: "Pictures judged: decoded (a keyframe decoded) or carried (the last decoded picture, the stream live and its keyframe the same size)."
            case .storeCommits: "Transactions committed to the state database (state, history and outbox together)."
            case .schedulerBehind: "1 while the schedule has been behind for a sustained period (cameras not probed on their intervals), else 0."
            }
        }

        /// The whole name as the metric name: the descriptor's other parts stay empty.
        var descriptor: MetricNameDescriptor {
            MetricNameDescriptor(metricName: rawValue, unitName: "", helpText: help)
        }
    }
}

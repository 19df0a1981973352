import CamProbeCore
import Prometheus
import Synchronization

/// The daemon's own Prometheus series, in one registry. The daemon calls
/// ``update(_:)`` whenever a camera's published status changes or a probe
/// measured it, ``recordProbe(outcome:duration:)`` after every probe,
/// ``setSchedulerLag(seconds:)`` from the scheduler, and
/// ``retainCameras(_:)`` after a reload.
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
///
/// Aggregates (bounded whatever the inventory):
/// - `camprobe_cameras{region,state}`: cameras per region and state.
/// - `camprobe_probe_duration_seconds`: histogram of probe wall time.
/// - `camprobe_probes_total{outcome}`: `ok`, or the probe's failure code
///   (`refused`, `timeout.handshake`, … about twenty values).
/// - `camprobe_scheduler_lag_seconds`: how late the last probe started.
///
/// Cardinality: at most 6 series per camera (about 120,000 for a 20,000-camera
/// region) plus a few hundred aggregates. No label carries a reason, a URL or
/// anything that changes from probe to probe; a camera removed from the
/// inventory loses its series on the next ``retainCameras(_:)``. Where that is
/// still too many, drop `camprobe_camera_.*` with a `metric_relabel_configs`
/// rule: the aggregates and the status socket keep the detail.
public final class ProbeMetrics: Sendable {
    /// Probe wall time: a 2 s window plus handshakes; the bound is
    /// 2 × timeout + window + 1 s, about 13 s with the defaults.
    public static let durationBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .milliseconds(2500),
        .seconds(3), .seconds(4), .seconds(5), .milliseconds(7500), .seconds(10), .seconds(15), .seconds(30),
    ]

    private let registry: PrometheusCollectorRegistry
    private let probeDuration: DurationHistogram
    private let schedulerLag: Gauge
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

    /// The series of one camera and the labels they were made with.
    private struct CameraSeries {
        var school: String
        var region: String
        var state: MonitorState
        var up: Gauge?
        var stateGauge: Gauge
        var fps: Gauge?
        var width: Gauge?
        var height: Gauge?
    }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        probeDuration = registry.makeDurationHistogram(
            descriptor: Series.probeDuration.descriptor, buckets: Self.durationBuckets)
        schedulerLag = registry.makeGauge(descriptor: Series.schedulerLag.descriptor)
    }

    // MARK: Probes

    /// One finished probe. `outcome` is `ok` or the failure's qualified code.
    public func recordProbe(outcome: String, duration: Duration) {
        probeDuration.record(duration)
        let counter = state.withLock { state in
            if let counter = state.outcomes[outcome] { return counter }
            let counter = registry.makeCounter(
                descriptor: Series.probes.descriptor, labels: [("outcome", outcome)])
            state.outcomes[outcome] = counter
            return counter
        }
        counter.increment()
    }

    /// One finished probe, its outcome and duration read off the report.
    public func recordProbe(_ report: ProbeReport) {
        recordProbe(
            outcome: report.failure?.qualifiedCode ?? "ok",
            duration: .milliseconds(Int64((max(report.duration, 0) * 1000).rounded())))
    }

    /// How late the last probe started against its schedule.
    public func setSchedulerLag(seconds: Double) {
        schedulerLag.set(to: max(seconds, 0))
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
                    // Labels changed (a reload moved the camera): the old series must go.
                    if let up = series.up { registry.unregisterGauge(up) }
                    series.up = nil
                    series.school = camera.school
                    series.region = camera.region
                }
            } else {
                series = CameraSeries(
                    school: camera.school, region: camera.region, state: camera.state, up: nil,
                    stateGauge: registry.makeGauge(
                        descriptor: Series.state.descriptor, labels: [("camera", camera.id)]))
            }
            series.state = camera.state
            adjustCount(&state, RegionState(region: camera.region, state: camera.state), by: 1)
            series.stateGauge.set(to: Double(Self.number(camera.state)))

            if camera.state == .unknown {
                if let up = series.up { registry.unregisterGauge(up) }
                series.up = nil
            } else {
                let up = series.up ?? registry.makeGauge(
                    descriptor: Series.up.descriptor,
                    labels: [("camera", camera.id), ("school", camera.school), ("region", camera.region)])
                up.set(to: camera.state == .down ? 0 : 1)
                series.up = up
            }
            series.fps = set(series.fps, .fps, camera.id, camera.frameRate)
            series.width = set(series.width, .width, camera.id, camera.width.map(Double.init))
            series.height = set(series.height, .height, camera.id, camera.height.map(Double.init))
            state.cameras[camera.id] = series
        }
    }

    /// Drops the series of every camera not in `ids` (after a reload).
    public func retainCameras(_ ids: Set<String>) {
        state.withLock { state in
            for id in state.cameras.keys where !ids.contains(id) { remove(id, from: &state) }
        }
    }

    public func removeCamera(_ id: String) {
        state.withLock { state in remove(id, from: &state) }
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

    private func remove(_ id: String, from state: inout State) {
        guard let series = state.cameras.removeValue(forKey: id) else { return }
        adjustCount(&state, RegionState(region: series.region, state: series.state), by: -1)
        for gauge in [series.up, series.stateGauge, series.fps, series.width, series.height].compactMap({ $0 }) {
            registry.unregisterGauge(gauge)
        }
    }

    private func adjustCount(_ state: inout State, _ key: RegionState, by delta: Int) {
        let count = (state.stateCounts[key] ?? 0) + delta
        state.stateCounts[key] = count
        let gauge = state.stateGauges[key] ?? registry.makeGauge(
            descriptor: Series.cameras.descriptor, labels: [("region", key.region), ("state", key.state.rawValue)])
        state.stateGauges[key] = gauge
        gauge.set(to: Double(count))
    }

    /// A measured value's gauge: created when there is a value, removed when there is none.
    private func set(_ gauge: Gauge?, _ series: Series, _ camera: String, _ value: Double?) -> Gauge? {
        guard let value, value.isFinite else {
            if let gauge { registry.unregisterGauge(gauge) }
            return nil
        }
        let gauge = gauge ?? registry.makeGauge(descriptor: series.descriptor, labels: [("camera", camera)])
        gauge.set(to: value)
        return gauge
    }

    /// Every series' name and help text, in one place: the registry refuses a
    /// second, different help text for a name.
    private enum Series: String {
        case up = "camprobe_camera_up"
        case state = "camprobe_camera_state"
        case fps = "camprobe_camera_fps"
        case width = "camprobe_camera_width"
        case height = "camprobe_camera_height"
        case cameras = "camprobe_cameras"
        case probeDuration = "camprobe_probe_duration_seconds"
        case probes = "camprobe_probes_total"
        case schedulerLag = "camprobe_scheduler_lag_seconds"

        var help: String {
            switch self {
            case .up: "1 when the camera's stream works (up or degraded), 0 when it is down; absent while unknown."
            case .state: "The camera's published state: 0 unknown, 1 up, 2 degraded, 3 down."
            case .fps: "Frame rate measured on the camera's last probe, frames per second."
            case .width: "Picture width measured on the camera's last probe, pixels."
            case .height: "Picture height measured on the camera's last probe, pixels."
            case .cameras: "Cameras per region and published state."
            case .probeDuration: "Wall time of one probe."
            case .probes: "Finished probes by outcome: ok, or the failure code."
            case .schedulerLag: "How late the last probe started against its schedule, seconds."
            }
        }

        /// The whole name as the metric name: the descriptor's other parts stay empty.
        var descriptor: MetricNameDescriptor {
            MetricNameDescriptor(metricName: rawValue, unitName: "", helpText: help)
        }
    }
}

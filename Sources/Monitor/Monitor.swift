import CamProbeConfig
import CamProbeCore
import Foundation
import Logging
import Probe

/// The running daemon's core: schedules probes, turns each report into a
/// verdict, a confirmed state (hysteresis) and the fleet guard's view, keeps
/// the published status, persists it, and answers the status socket.
///
/// An actor: every decision about state is serialized here; probes run on the
/// prober's own threads and come back through `finish`. The one place that
/// turns a `ProbeReport` into state, history, logs and metrics.
public actor Monitor: StatusSource {
    public struct Settings: Sendable {
        public var machine: StateMachinePolicy
        public var fleetGuard: FleetGuardPolicy
        public var schedule: ProbeScheduleSettings
        public var retention: TimeInterval
        /// Where events go (fixed at start: a reload does not add a broker or routes).
        public var routing: EventRouting
        public var outboxLimit: Int
        /// Seconds between snapshots; 0: none.
        public var snapshotInterval: Double
        /// Seconds down/degraded before a reminder, and between reminders; 0: none.
        public var reminderAfter: Double

        public init(
            machine: StateMachinePolicy = .default, fleetGuard: FleetGuardPolicy = .default,
            schedule: ProbeScheduleSettings = .default, retention: TimeInterval = 400 * 86_400,
            routing: EventRouting = EventRouting(), outboxLimit: Int = EventSettings().outboxLimit,
            snapshotInterval: Double = 0, reminderAfter: Double = 0
        ) {
            self.machine = machine
            self.fleetGuard = fleetGuard
            self.schedule = schedule
            self.retention = retention
            self.routing = routing
            self.outboxLimit = outboxLimit
            self.snapshotInterval = snapshotInterval
            self.reminderAfter = reminderAfter
        }

        /// The settings a config file asks for.
        public init(_ config: ConfigFile) {
            let daemon = config.daemon
            var machine = StateMachinePolicy.default
            machine.failuresToDown = daemon.failuresToDown
            machine.successesToRecover = daemon.successesToRecover
            var schedule = ProbeScheduleSettings.default
            schedule.maxConcurrentProbes = daemon.maxConcurrentProbes
            schedule.maxSessionsPerHost = daemon.sessionsPerHost
            self.init(
                machine: machine, schedule: schedule, retention: Double(daemon.retentionDays) * 86_400,
                routing: EventRouting(queue: config.queue != nil, routes: config.webhooks.routes),
                outboxLimit: config.events.outboxLimit, snapshotInterval: config.events.snapshotInterval,
                reminderAfter: config.webhooks.routes.isEmpty ? 0 : config.webhooks.reminderAfter)
        }
    }

    private var loaded: LoadedConfig
    private var cameras: [String: Camera] = [:]
    private var schedule: ProbeSchedule
    private var machines: [String: CameraStateMachine] = [:]
    private var fleetGuard: FleetGuard
    private var statuses: [String: CameraStatus] = [:]
    private var signatures: [String: PictureSignature] = [:]
    private let settings: Settings
    private let store: StateStore
    private let prober: Prober
    private let logger: Logger
    private let configPath: String
    private let loader: ConfigLoader
    private let clockOrigin = ContinuousClock.now
    private let events: MonitorEvents
    /// Outbox bookkeeping: warned about the limit; reminders sent per camera
    /// (the number of reminder periods its outage had lasted); next snapshot.
    private var outboxWarned = false
    private var remindersSent: [String: Int] = [:]
    private var nextHousekeeping: Double = 0
    private var nextSnapshot: Double

    /// Wakes the scheduling loop (a probe finished, probe-now, reload).
    private var waiter: CheckedContinuation<Void, Never>?
    private var pendingWake = false

    public init(
        loaded: LoadedConfig, configPath: String, loader: ConfigLoader, store: StateStore, prober: Prober,
        settings: Settings, logger: Logger, events: MonitorEvents = MonitorEvents()
    ) throws(StateStoreError) {
        self.loaded = loaded
        self.configPath = configPath
        self.loader = loader
        self.store = store
        self.prober = prober
        self.settings = settings
        self.logger = logger
        self.events = events
        self.nextSnapshot = settings.snapshotInterval
        self.fleetGuard = FleetGuard(policy: settings.fleetGuard)
        self.schedule = ProbeSchedule(
            cameras: [], settings: settings.schedule, random: SeededRandom(seed: UInt64(UInt32(truncatingIfNeeded: getpid()))), now: 0)
        let stored = try store.states()
        for camera in loaded.cameras {
            cameras[camera.id] = camera
            if let saved = stored[camera.id] {
                machines[camera.id] = CameraStateMachine(
                    state: saved.state, reasons: [], since: saved.since, policy: settings.machine)
                fleetGuard.restore(
                    camera: camera.id, host: ProbeOutcome.hostKey(for: camera), school: ProbeOutcome.schoolKey(for: camera),
                    state: saved.state, reasons: [], since: saved.since)
                statuses[camera.id] = saved.applied(to: CameraStatus(camera, host: ProbeOutcome.hostKey(for: camera)))
                signatures[camera.id] = saved.lastSignature
            } else {
                machines[camera.id] = CameraStateMachine(policy: settings.machine)
                statuses[camera.id] = CameraStatus(camera, host: ProbeOutcome.hostKey(for: camera))
            }
        }
        schedule.reload(loaded.cameras.map { ScheduledCamera($0, profile: loaded.profile(for: $0)) }, now: 0)
        // Deliveries owed to a broker or route no longer configured would wait forever.
        let dropped = try store.dropDeliveries(except: settings.routing.allSinks)
        if dropped > 0 {
            logger.warning("dropped deliveries to destinations no longer configured", metadata: ["deliveries": "\(dropped)"])
        }
        events.inventoryChanged(Set(cameras.keys))
        for status in statuses.values { events.statusUpdated(status) }
    }

    private func now() -> Double {
        let elapsed = ContinuousClock.now - clockOrigin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    // MARK: The loop

    /// Runs until cancelled (graceful shutdown cancels it): in-flight probes are
    /// cancelled through the prober's interrupt and end within a second.
    public func run() async {
        logger.info("monitoring cameras", metadata: ["cameras": "\(cameras.count)", "config": "\(configPath)"])
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                for probe in schedule.next(now: now()) {
                    guard let job = job(for: probe) else { continue }
                    group.addTask { await self.execute(job) }
                }
                if now() >= nextHousekeeping {
                    housekeeping()
                    nextHousekeeping = now() + Self.housekeepingInterval
                }
                let wakeAt = min(schedule.nextWakeup(now: now()) ?? now() + 60, nextHousekeeping)
                await waitForWake(seconds: max(0.01, min(60, wakeAt - now())))
            }
        }
        logger.info("monitoring stopped")
    }

    struct Job: Sendable {
        let probe: ScheduledProbe
        let camera: Camera
        let url: StreamURL?
        let urlFailure: ProbeFailure?
        let options: ProbeOptions
        let previous: PictureSignature?
    }

    private func job(for probe: ScheduledProbe) -> Job? {
        guard let camera = cameras[probe.cameraID] else {
            _ = schedule.finished(camera: probe.cameraID, at: now(), outcome: .up)
            return nil
        }
        var options = loaded.config.probe.options
        // Two keyframes kept, one decoded: the earlier keyframe of the window is decoded
        // only on the first probe (nothing to compare with yet) and to confirm a picture
        // that looks frozen against the previous probe's (see StreamProbe.keepsTwoKeyframes).
        options.maxDecodedKeyframes = 2
        do {
            let url = try loaded.mainStream(for: camera)
            return Job(probe: probe, camera: camera, url: url, urlFailure: nil, options: options, previous: signatures[camera.id])
        } catch {
            return Job(probe: probe, camera: camera, url: nil, urlFailure: error, options: options, previous: nil)
        }
    }

    private nonisolated func execute(_ job: Job) async {
        let report: ProbeReport
        if let url = job.url {
            report = await prober.probe(url, options: job.options, previousSignature: job.previous)
        } else {
            report = ProbeReport(target: "(camera \(job.camera.id))", startedAt: Date(), failure: job.urlFailure)
        }
        await finish(job, report: report)
    }

    private func waitForWake(seconds: Double) async {
        if pendingWake {
            pendingWake = false
            return
        }
        // A timer cancelled because something else woke the loop must not wake
        // it again: it would end the next wait at once, and that one the next.
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))) != nil else { return }
            await self?.wake()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter = $0 }
        } onCancel: {
            Task { await self.wake() }
        }
        timer.cancel()
    }

    private func wake() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pendingWake = true
        }
    }

    // MARK: One report → state

    private func finish(_ job: Job, report: ProbeReport) {
        let camera = job.camera
        defer { wake() }
        let time = Date()
        guard cameras[camera.id] != nil else {
            _ = schedule.finished(camera: camera.id, at: now(), outcome: .up)
            return
        }
        let profile = loaded.profile(for: camera) ?? .digitalMain
        let verdict = PolicyEvaluator(profile: profile, camera: camera).evaluate(main: report)
        events.probeFinished(camera, report, verdict)
        guard verdict.isConclusive else {
            // Cut short by the prober itself (shutdown): says nothing about the camera.
            _ = schedule.finished(camera: camera.id, at: now(), outcome: .retry(after: 5))
            return
        }
        if let signature = report.picture?.statistics.signature { signatures[camera.id] = signature }
        var machine = machines[camera.id] ?? CameraStateMachine(policy: settings.machine)
        let actions = machine.record(verdict, at: time)
        machines[camera.id] = machine
        var guardEvents: [FleetEvent] = []
        if let outcome = ProbeOutcome(camera: camera, verdict: verdict, at: time) {
            guardEvents = fleetGuard.record(outcome, actions: actions)
        }
        let scheduleOutcome = Self.scheduleOutcome(actions: actions, state: machine.state, interval: profile.interval)
        _ = schedule.finished(camera: camera.id, at: now(), outcome: scheduleOutcome)

        var status = statuses[camera.id] ?? CameraStatus(camera, host: ProbeOutcome.hostKey(for: camera))
        status.lastProbe = time
        status.state = machine.state
        status.codec = report.video?.codec
        status.width = report.video?.width
        status.height = report.video?.height
        status.frameRate = report.video?.timing.frameRate
        status.flapping = machine.isFlapping
        status.affectedBy = fleetGuard.cover(of: camera.id).map(\.description)
        var transition: StateTransition?
        for case let .transition(from, to, reasons, since, _) in actions {
            status.since = since
            status.reasons = reasons.map { StatusReasonText($0, language: loaded.language) }
            transition = StateTransition(camera: camera.id, from: from, to: to, at: since, reasons: status.reasons)
        }
        if transition == nil, machine.state != .unknown {
            // Same state: keep its reasons current (a degraded camera's reasons may change).
            status.reasons = verdict.reasons.map { StatusReasonText($0, language: loaded.language) }
        }
        statuses[camera.id] = status
        if transition != nil { remindersSent[camera.id] = nil }
        let cloudEvents = eventBuilder.events(
            status: status, transitions: transition.map { [$0] } ?? [], guardEvents: guardEvents, report: report,
            at: time, statuses: statuses, hosts: members(of: guardEvents, host: true),
            schools: members(of: guardEvents, host: false), instance: loaded.config.instance)
        let update = CameraUpdate(
            camera: camera.id, state: status.state, since: status.since, reasons: status.reasons,
            affectedBy: status.affectedBy, flapping: status.flapping, lastProbe: time, report: report,
            signature: signatures[camera.id], transition: transition)
        write([update], cloudEvents, about: camera.id)
        log(actions: actions, camera: camera, status: status)
        for event in guardEvents { log(event, camera: camera, status: status) }
        events.statusUpdated(status)
    }

    /// A retry comes sooner than the regular interval, never later.
    static func scheduleOutcome(actions: [CameraAction], state: MonitorState, interval: Double) -> ScheduleOutcome {
        for case let .scheduleRetry(after) in actions { return .retry(after: min(after, interval)) }
        return state == .down ? .down : .up
    }

    private func metadata(_ camera: Camera, _ status: CameraStatus) -> Logger.Metadata {
        ["camera": "\(camera.id)", "school": "\(camera.school.name)", "host": "\(status.host)"]
    }

    /// Flapping is the camera's own news; its transitions come through the
    /// fleet guard, which decides whether they are published.
    private func log(actions: [CameraAction], camera: Camera, status: CameraStatus) {
        for action in actions {
            switch action {
            case .flappingStarted:
                logger.warning("camera is flapping", metadata: metadata(camera, status))
            case .flappingEnded:
                logger.notice("camera stopped flapping", metadata: metadata(camera, status))
            case .transition, .scheduleRetry:
                break
            }
        }
    }

    private func log(_ change: CameraChange, camera: Camera, status: CameraStatus, suppressed: Suppression?) {
        var metadata = metadata(camera, status)
        metadata["from"] = "\(change.from.rawValue)"
        metadata["to"] = "\(change.to.rawValue)"
        if let first = change.reasons.first { metadata["reason"] = "\(first.code.rawValue)" }
        if let suppressed {
            metadata["affected_by"] = "\(suppressed)"
            logger.info("camera \(change.to.rawValue) (not alerted: affected by \(suppressed))", metadata: metadata)
            return
        }
        let text = change.reasons.first.map { ": " + $0.text(in: loaded.language) } ?? ""
        if change.to == .down || change.to == .degraded {
            logger.warning("camera \(change.to.rawValue)\(text)", metadata: metadata)
        } else {
            logger.notice("camera \(change.to.rawValue)", metadata: metadata)
        }
    }

    private func log(_ event: FleetEvent, camera: Camera? = nil, status: CameraStatus? = nil) {
        switch event {
        case let .publish(change):
            if let camera, let status { log(change, camera: camera, status: status, suppressed: nil) }
        case let .suppress(change, because):
            if let camera, let status { log(change, camera: camera, status: status, suppressed: because) }
        case let .hostDown(host, failure):
            logger.error("host down: most of its cameras fail", metadata: ["host": "\(host)", "detail": "\(failure)"])
        case let .hostRecovered(host):
            logger.notice("host recovered", metadata: ["host": "\(host)"])
        case let .schoolDown(school, failure):
            logger.error("school down: most of its cameras fail", metadata: ["school": "\(school)", "detail": "\(failure)"])
        case let .schoolRecovered(school):
            logger.notice("school recovered", metadata: ["school": "\(school)"])
        case let .proberDegraded(degradation):
            logger.critical("the prober's own network looks broken: no camera alerts until it recovers", metadata: ["detail": "\(degradation)"])
        case .proberRecovered:
            logger.notice("the prober's network recovered")
        }
    }

    // MARK: Events

    static let housekeepingInterval: Double = 30

    private var eventBuilder: EventBuilder {
        EventBuilder(instance: loaded.config.instance, language: loaded.language)
    }

    /// The statuses of the cameras of each host (or school) a guard event names.
    private func members(of guardEvents: [FleetEvent], host: Bool) -> [String: [CameraStatus]] {
        var keys: Set<String> = []
        for event in guardEvents {
            switch event {
            case let .hostDown(key, _), let .hostRecovered(key): if host { keys.insert(key) }
            case let .schoolDown(key, _), let .schoolRecovered(key): if !host { keys.insert(key) }
            default: break
            }
        }
        guard !keys.isEmpty else { return [:] }
        var result: [String: [CameraStatus]] = [:]
        for camera in cameras.values {
            let key = host ? ProbeOutcome.hostKey(for: camera) : ProbeOutcome.schoolKey(for: camera)
            if keys.contains(key), let status = statuses[camera.id] { result[key, default: []].append(status) }
        }
        return result
    }

    /// Writes state and the events describing it in one transaction; says
    /// when the outbox nears its limit or had to drop undelivered events.
    ///
    /// Most probes change nothing and write no event: those take the plain
    /// state write, which does not count the outbox (a count of a large
    /// outbox in every probe's write transaction would hold the writer).
    private func write(_ updates: [CameraUpdate], _ cloudEvents: [CloudEvent], about camera: String?) {
        let items = cloudEvents.map { OutboxItem(event: $0, sinks: settings.routing.sinks(for: $0)) }
        do {
            guard !items.isEmpty else {
                try store.record(updates)
                return
            }
            let result = try store.record(updates, events: items, limit: settings.outboxLimit)
            events.outboxWritten(result)
            let near = Double(result.events) >= EventSettings.warnShare * Double(settings.outboxLimit)
            if near, !outboxWarned {
                logger.warning("the outbox is nearly full: events are not being delivered", metadata: [
                    "events": "\(result.events)", "limit": "\(settings.outboxLimit)"])
            }
            outboxWarned = near
            if result.trimmedUndelivered > 0 {
                logger.error("outbox full: oldest undelivered events dropped", metadata: [
                    "dropped": "\(result.trimmedUndelivered)", "limit": "\(settings.outboxLimit)"])
            }
        } catch {
            var metadata: Logger.Metadata = ["error": "\(error)", "events": "\(items.count)"]
            if let camera { metadata["camera"] = "\(camera)" }
            logger.error("cannot save camera state", metadata: metadata)
        }
    }

    /// Reminders for outages still open, and the periodic snapshot.
    private func housekeeping() {
        let time = Date()
        var cloudEvents: [CloudEvent] = []
        if settings.reminderAfter > 0 {
            for status in statuses.values {
                guard status.state == .down || status.state == .degraded, status.affectedBy == nil, let since = status.since
                else {
                    remindersSent[status.id] = nil
                    continue
                }
                let periods = Int(time.timeIntervalSince(since) / settings.reminderAfter)
                // After a restart, count the periods already past as sent: a
                // reminder is news of a period ending while we watch.
                let sent = remindersSent[status.id] ?? periods
                remindersSent[status.id] = periods
                if periods > sent, let event = eventBuilder.reminder(status, at: time) { cloudEvents.append(event) }
            }
        }
        if settings.snapshotInterval > 0, now() >= nextSnapshot {
            nextSnapshot = now() + settings.snapshotInterval
            cloudEvents.append(eventBuilder.snapshot(Array(statuses.values), instance: loaded.config.instance, at: time))
        }
        if !cloudEvents.isEmpty { write([], cloudEvents, about: nil) }
    }

    // MARK: StatusSource

    public func cameras(matching filter: CameraFilter) -> [CameraStatus] {
        loaded.cameras.compactMap { statuses[$0.id] }.filter(filter.matches)
    }

    public func camera(id: String) throws -> CameraDetail? {
        guard let status = statuses[id] else { return nil }
        return CameraDetail(status: status, lastReport: try store.lastReport(camera: id), history: try store.history(camera: id, limit: 100))
    }

    public func summary(by level: SummaryRow.Level, filter: CameraFilter) -> [SummaryRow] {
        SummaryRow.summarize(cameras(matching: filter), by: level)
    }

    public func events(_ query: EventQuery) throws -> OutboxPage {
        var page = try store.events(
            after: query.after, limit: query.limit, subject: query.subject, type: query.type)
        page.outbox = try store.outboxStats(limit: settings.outboxLimit)
        return page
    }

    public func probeNow(camera id: String) -> Bool {
        guard cameras[id] != nil else { return false }
        _ = schedule.probeNow(cameras: [id], at: now())
        wake()
        return true
    }

    public func reload() -> ReloadResult {
        let (newOrNil, diagnostics) = loader.load(path: configPath)
        guard let new = newOrNil else {
            let problems = diagnostics.map(\.description)
            logger.error("reload rejected: the new configuration has problems; the running one stays", metadata: ["problems": "\(problems.count)", "first": "\(problems.first ?? "")"])
            return ReloadResult(ok: false, problems: problems, cameras: cameras.count)
        }
        let removed = Set(cameras.keys).subtracting(new.cameras.map(\.id))
        for id in removed {
            cameras[id] = nil
            machines[id] = nil
            statuses[id] = nil
            signatures[id] = nil
            for event in fleetGuard.remove(camera: id) { log(event) }
        }
        for camera in new.cameras {
            cameras[camera.id] = camera
            if machines[camera.id] == nil { machines[camera.id] = CameraStateMachine(policy: settings.machine) }
            // The inventory's fields are new; what was measured and decided stays.
            var status = statuses[camera.id] ?? CameraStatus(camera, host: ProbeOutcome.hostKey(for: camera))
            let fresh = CameraStatus(camera, host: ProbeOutcome.hostKey(for: camera))
            (status.region, status.district, status.school, status.schoolBin) = (fresh.region, fresh.district, fresh.school, fresh.schoolBin)
            (status.location, status.kind, status.host) = (fresh.location, fresh.kind, fresh.host)
            statuses[camera.id] = status
        }
        loaded = new
        events.inventoryChanged(Set(cameras.keys))
        schedule.reload(new.cameras.map { ScheduledCamera($0, profile: new.profile(for: $0)) }, now: now())
        logger.notice("configuration reloaded", metadata: ["cameras": "\(new.cameras.count)", "removed": "\(removed.count)"])
        wake()
        return ReloadResult(ok: true, problems: [], cameras: new.cameras.count)
    }

    /// Counts for systemd's STATUS= line.
    public func counts() -> (cameras: Int, up: Int, degraded: Int, down: Int, unknown: Int, lag: Double) {
        var up = 0, degraded = 0, down = 0, unknown = 0
        for status in statuses.values {
            switch status.state {
            case .up: up += 1
            case .degraded: degraded += 1
            case .down: down += 1
            case .unknown: unknown += 1
            }
        }
        return (statuses.count, up, degraded, down, unknown, schedule.lag(now: now()))
    }

    /// Drops history older than the retention period.
    public func prune() {
        do {
            let cutoff = Date().addingTimeInterval(-settings.retention)
            let removed = try store.prune(olderThan: cutoff)
            let events = try store.pruneOutbox(olderThan: cutoff)
            if removed + events > 0 {
                logger.info("pruned old history", metadata: ["transitions": "\(removed)", "events": "\(events)"])
            }
        } catch {
            logger.error("cannot prune history", metadata: ["error": "\(error)"])
        }
    }
}

extension CameraStatus {
    init(_ camera: Camera, host: String) {
        self.init(
            id: camera.id, region: camera.region, district: camera.district, school: camera.school.name,
            schoolBin: camera.school.bin, location: camera.location, kind: camera.kind, host: host)
    }
}

extension StatusReasonText {
    init(_ reason: Reason, language: Language) {
        self.init(code: reason.code.rawValue, severity: reason.severity.rawValue, text: reason.text(in: language))
    }
}

import CamProbeConfig
import CamProbeCore
import Foundation
import Logging
import Probe
import Store

/// The running daemon's core: schedules probes, turns each report into a
/// verdict, a confirmed state (hysteresis) and the fleet guard's view, keeps
/// the published status, persists it, and answers the status socket.
///
/// An actor: every decision about state is serialized here; probes run on the
/// prober's own threads and come back through `finish`. The one place that
/// turns a `ProbeReport` into state, history, logs and metrics.
public actor Monitor: StatusSource {
    var loaded: LoadedConfig
    var fleet: FleetState
    var schedule: ProbeSchedule
    private let settings: Settings
    let store: StateStore
    private let prober: Prober
    let logger: Logger
    private let configPath: String
    private let loader: ConfigLoader
    private let clockOrigin = ContinuousClock.now
    private let hooks: MonitorHooks
    /// Nil with `snapshots: off`.
    private let pictures: SnapshotStore?
    /// Commits off the actor, in order.
    private let writer: StoreWriter
    /// The published statuses, for queries that need not wait for the actor.
    private let board = StatusBoard()
    /// Outbox bookkeeping: reminders sent per camera
    /// (the number of reminder periods its outage had lasted); next snapshot.
    private var remindersSent: [String: Int] = [:]
    private var nextHousekeeping: Double = 0
    private var nextSnapshot: Double
    private var nextHeartbeat: Double = 0
    private var lagWatch: ScheduleLagWatch
    /// When each camera's latest snapshot was taken (the schedule's clock), and
    /// the cameras whose last verdict differed from their published state (a
    /// change waiting for confirmation): their next probe takes a picture, so a
    /// state change has one of its own. A camera that stays degraded is not
    /// one: its picture is refreshed hourly, like a working camera's.
    private var snapshotTakenAt: [String: Double] = [:]
    private var snapshotSuspects: Set<String> = []
    private var sweep: SweepTracker

    /// Group commit: probe results written together, at most ``commitDelay``
    /// after the first of them (or at ``commitBatch``), in one transaction with
    /// one fsync. Events reach the queue and webhooks only once committed, so a
    /// crash loses at most the last fraction of a second of results and nothing
    /// that was delivered; reads of the store (camera detail, events) commit first.
    private var pendingUpdates: [CameraUpdate] = []
    private var pendingEvents: [CloudEvent] = []
    private var pendingSince: Double?
    /// 0.1 s: at a region's 58 probes a second, ~6 results a commit instead of 1
    /// (an fsync each), well below anything a person watching notices.
    static let commitDelay = 0.1
    static let commitBatch = 256

    /// Wakes the scheduling loop (a probe finished, probe-now, reload).
    private var waiter: CheckedContinuation<Void, Never>?
    private var pendingWake = false

    public init(
        loaded: LoadedConfig, configPath: String, loader: ConfigLoader, store: StateStore, prober: Prober,
        settings: Settings, logger: Logger, hooks: MonitorHooks = MonitorHooks()
    ) throws(StateStoreError) {
        self.loaded = loaded
        self.configPath = configPath
        self.loader = loader
        self.store = store
        self.prober = prober
        self.settings = settings
        self.logger = logger
        self.hooks = hooks
        self.writer = StoreWriter(
            store: store, routing: settings.routing, outboxLimit: settings.outboxLimit, logger: logger, hooks: hooks)
        self.nextSnapshot = settings.snapshotInterval
        self.lagWatch = settings.lagWatch
        self.sweep = SweepTracker(cameras: Set(loaded.cameras.map(\.id)), at: Date())
        self.pictures = settings.snapshots
            ? try SnapshotStore(stateDirectory: URL(fileURLWithPath: store.path).deletingLastPathComponent().path) : nil
        self.schedule = ProbeSchedule(
            cameras: [], settings: settings.schedule, random: SeededRandom(seed: UInt64(UInt32(truncatingIfNeeded: getpid()))), now: 0)
        let stored = try store.states()
        var restored: [String: FleetState.Restored] = [:]
        for camera in loaded.cameras {
            guard let saved = stored[camera.id] else { continue }
            restored[camera.id] = FleetState.Restored(
                status: saved.applied(to: FleetState.initialStatus(of: camera)), signature: saved.lastSignature)
        }
        self.fleet = FleetState(
            cameras: loaded.cameras, restored: restored, machine: settings.stateMachine, fleetGuard: settings.fleetGuard)
        // Archive measurements survive a restart: judged on again from the first probe.
        for measurement in try store.archives().values { fleet.record(archive: measurement) }
        schedule.reload(loaded.cameras.map { ScheduledCamera($0, profile: loaded.profile(for: $0)) }, now: 0)
        // Deliveries owed to a broker or route no longer configured would wait forever.
        let dropped = try store.dropDeliveries(except: settings.routing.allSinks)
        if dropped > 0 {
            logger.warning("dropped deliveries to destinations no longer configured", metadata: ["deliveries": "\(dropped)"])
        }
        Self.forgetRemovedCameras(keeping: fleet.cameras.keys, store: store, logger: logger)
        hooks.inventoryChanged(Set(fleet.cameras.keys))
        for status in fleet.statuses.values { hooks.statusUpdated(status) }
        board.reset(statuses: fleet.statuses)
        // Loading a region's inventory and state freed far more than it keeps.
        Prober.returnFreedMemory()
    }

    func now() -> Double {
        let elapsed = ContinuousClock.now - clockOrigin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    // MARK: The loop

    /// Runs until cancelled (graceful shutdown cancels it): in-flight probes are
    /// cancelled through the prober's interrupt and end within a second.
    public func run() async {
        logger.info("monitoring cameras", metadata: ["cameras": "\(fleet.cameras.count)", "config": "\(configPath)"])
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                for probe in schedule.next(now: now()) {
                    guard let due = due(probe) else { continue }
                    group.addTask { await self.execute(due) }
                }
                if now() >= nextHousekeeping {
                    housekeeping()
                    nextHousekeeping = now() + Self.housekeepingInterval
                }
                if let since = pendingSince, now() - since >= Self.commitDelay { commitPending() }
                let commitAt = pendingSince.map { $0 + Self.commitDelay } ?? .infinity
                let wakeAt = min(schedule.nextWakeup(now: now()) ?? now() + 60, nextHousekeeping, commitAt)
                await waitForWake(seconds: max(0.01, min(60, wakeAt - now())))
            }
        }
        commitAndDrain()
        logger.info("monitoring stopped")
    }

    /// A probe the schedule started, with what the prober needs for it.
    struct DueProbe: Sendable {
        let cameraID: String
        let url: StreamURL?
        let urlFailure: ProbeFailure?
        let options: ProbeOptions
        let previous: PictureSignature?
        let lastDecoded: DecodedPicture?
    }

    private func due(_ probe: ScheduledProbe) -> DueProbe? {
        guard let camera = fleet.cameras[probe.cameraID] else {
            apply(.cameraGone, camera: probe.cameraID)
            return nil
        }
        var options = loaded.config.probe.options
        // Two keyframes kept, one decoded: the earlier keyframe of the window is decoded
        // only when a freeze is possible (a static stream) and there is nothing to
        // compare with yet (the first probe) or the picture looks frozen against the
        // previous probe's (see StreamProbe.keepsTwoKeyframes).
        options.maxDecodedKeyframes = 2
        options.earlierKeyframeOnlyWhenStatic = true
        options.snapshot = pictures != nil && snapshotDue(camera.id)
        options.pictureCarryAge = Self.pictureRefresh
        do {
            let url = try loaded.mainStream(for: camera)
            return DueProbe(
                cameraID: camera.id, url: url, urlFailure: nil, options: options, previous: fleet.signatures[camera.id],
                lastDecoded: fleet.decodedPictures[camera.id])
        } catch {
            return DueProbe(cameraID: camera.id, url: nil, urlFailure: error, options: options, previous: nil, lastDecoded: nil)
        }
    }

    private nonisolated func execute(_ probe: DueProbe) async {
        let report: ProbeReport
        if let url = probe.url {
            report = await prober.probe(
                url, options: probe.options, previousSignature: probe.previous, lastDecoded: probe.lastDecoded)
        } else {
            report = ProbeReport(target: "(camera \(probe.cameraID))", startedAt: Date(), failure: probe.urlFailure)
        }
        await finish(probe.cameraID, report: report)
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

    func wake() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pendingWake = true
        }
    }

    // MARK: One report → state

    /// Decides what the report means (``FleetState/decide(_:camera:profile:at:events:)``)
    /// and applies the decision.
    private func finish(_ id: String, report: ProbeReport) {
        let camera = fleet.cameras[id]
        let profile = camera.flatMap(loaded.profile(for:)) ?? .digitalMain
        let decision = fleet.decide(report, camera: id, profile: profile, at: Date(), events: eventBuilder)
        if let camera, let verdict = decision.verdict { hooks.probeFinished(camera, report, verdict) }
        apply(decision, camera: id, report: report)
    }

    /// The one place a decision takes effect: the schedule hears of it, the
    /// store gets the state and its events in one transaction, the log its lines,
    /// the hooks the new status.
    private func apply(_ decision: ProbeDecision, camera id: String, report: ProbeReport? = nil) {
        defer { wake() }
        _ = schedule.finished(camera: id, at: now(), outcome: decision.schedule)
        for notice in decision.notices { log(notice) }
        guard let status = decision.status else { return }
        if let probed = status.lastProbe { sweep.probed(id, at: probed) }
        if decision.transition != nil { remindersSent[id] = nil }
        let update = CameraUpdate(
            status: status, report: report, transition: decision.transition, signature: decision.signature)
        pendingUpdates.append(update)
        pendingEvents += decision.events
        if pendingSince == nil { pendingSince = now() }
        if pendingUpdates.count >= Self.commitBatch { commitPending() }
        board.publish(status)
        if let report {
            keepSnapshot(report.snapshot, camera: id, stateChanged: decision.transition != nil)
            if report.snapshot != nil { snapshotTakenAt[id] = now() }
        }
        if let verdict = decision.verdict?.state, MonitorState(verdict) == status.state {
            snapshotSuspects.remove(id)
        } else {
            snapshotSuspects.insert(id)
        }
        hooks.statusUpdated(status)
    }

    private func log(_ notice: Notice) {
        let metadata = notice.metadata.mapValues { Logger.MetadataValue.string($0) }
        logger.log(level: notice.level.logLevel, "\(notice.message)", metadata: metadata)
    }

    // MARK: Events

    /// Reminders, snapshots, heartbeats and the lag watch are looked at this
    /// often (seconds).
    static let housekeepingInterval: Double = 10

    private var eventBuilder: EventBuilder {
        EventBuilder(instance: loaded.config.instance, language: loaded.language)
    }

    /// Writes state and the events describing it in one transaction; says
    /// when the outbox nears its limit or had to drop undelivered events.
    ///
    /// Most probes change nothing and write no event: those take the plain
    /// state write, which does not count the outbox (a count of a large
    /// outbox in every probe's write transaction would hold the writer).
    /// Writes the results waiting for the group commit.
    private func commitPending() {
        guard !pendingUpdates.isEmpty || !pendingEvents.isEmpty else { return }
        let (updates, events) = (pendingUpdates, pendingEvents)
        (pendingUpdates, pendingEvents, pendingSince) = ([], [], nil)
        write(updates, events, about: updates.count == 1 ? updates.first?.camera : nil)
    }

    private func write(_ updates: [CameraUpdate], _ cloudEvents: [CloudEvent], about camera: String?) {
        writer.write(updates, cloudEvents, about: camera)
    }

    /// Everything decided so far, committed: before a read of the store.
    private func commitAndDrain() {
        commitPending()
        writer.drain()
    }

    /// Reminders for outages still open, the periodic snapshot and heartbeat,
    /// and the schedule's lag.
    private func housekeeping() {
        let time = Date()
        var cloudEvents = reminders(at: time)
        if settings.snapshotInterval > 0, now() >= nextSnapshot {
            nextSnapshot = now() + settings.snapshotInterval
            cloudEvents.append(eventBuilder.snapshot(Array(fleet.statuses.values), at: time))
        }
        if settings.heartbeatInterval > 0, now() >= nextHeartbeat {
            nextHeartbeat = now() + settings.heartbeatInterval
            cloudEvents.append(eventBuilder.heartbeat(
                states: fleet.counts, lag: schedule.lag(now: now()), interval: settings.heartbeatInterval,
                lastSweep: sweep.last, at: time))
        }
        if let event = watchLag(at: time) { cloudEvents.append(event) }
        if !cloudEvents.isEmpty { write([], cloudEvents, about: nil) }
        // Status documents and scrapes of a whole region are large and short-lived.
        Prober.returnFreedMemory()
    }

    /// Says once that the schedule fell behind, and once that it caught up:
    /// a log line, the hook (metric, systemd status) and the event returned.
    private func watchLag(at time: Date) -> CloudEvent? {
        let lag = schedule.lag(now: now())
        guard let change = lagWatch.observe(lag: lag, at: now()) else { return nil }
        let limit = settings.schedule.maxConcurrentProbes
        let needed = loaded.probesNeeded
        let metadata: Logger.Metadata = [
            "lag_seconds": "\(Int(lag.rounded()))", "probe_limit": "\(limit)",
            "probes_needed": "\(Int(needed.rounded(.up)))", "cameras": "\(fleet.cameras.count)"]
        hooks.scheduleBehind(lagWatch.isBehind)
        switch change {
        case let .fellBehind(_, since):
            logger.warning(
                "the schedule is falling behind: probes start \(Int(lag.rounded())) s late; cameras are not probed on their intervals (raise daemon.max_concurrent_probes or sessions_per_host, or see camprobe check-config)",
                metadata: metadata)
            return eventBuilder.schedule(
                .behind, lag: lag, since: time.addingTimeInterval(since - now()), probeLimit: limit, probesNeeded: needed, at: time)
        case let .caughtUp(since):
            logger.notice("the schedule caught up: probes start on time again", metadata: metadata)
            return eventBuilder.schedule(
                .onTime, lag: lag, since: time.addingTimeInterval(since - now()), probeLimit: limit, probesNeeded: needed, at: time)
        }
    }

    /// Reminders for outages still open.
    private func reminders(at time: Date) -> [CloudEvent] {
        var cloudEvents: [CloudEvent] = []
        if settings.reminderAfter > 0 {
            for status in fleet.statuses.values {
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
        return cloudEvents
    }

    // MARK: StatusSource

    public nonisolated func cameras(matching filter: CameraFilter) -> [CameraStatus] {
        board.cameras(matching: filter)
    }

    /// Every camera's status, in list order, with the profile it is judged by
    /// now (the report's rules and requirements; after a reload, the new ones).
    public func camerasWithProfiles() -> [(status: CameraStatus, profile: PolicyProfile?)] {
        board.cameras(matching: CameraFilter()).map { status in
            (status, fleet.cameras[status.id].flatMap(loaded.profile(for:)))
        }
    }

    public func camera(id: String) throws -> CameraDetail? {
        guard let status = fleet.statuses[id] else { return nil }
        commitAndDrain()
        return CameraDetail(status: status, lastReport: try store.lastReport(camera: id), history: try store.history(camera: id, limit: 100))
    }

    public nonisolated func summary(by level: SummaryRow.Level, filter: CameraFilter) -> [SummaryRow] {
        board.summary(matching: filter, by: level)
    }

    public func events(_ query: EventQuery) throws -> OutboxPage {
        commitAndDrain()
        var page = try store.events(
            after: query.after, limit: query.limit, subject: query.subject, type: query.type)
        page.outbox = try store.outboxStats(limit: settings.outboxLimit)
        return page
    }

    public func probeNow(camera id: String) -> Bool {
        guard fleet.cameras[id] != nil else { return false }
        _ = schedule.probeNow(cameras: [id], at: now())
        wake()
        return true
    }

    public func reload() -> ReloadResult {
        commitAndDrain()
        let (newOrNil, diagnostics) = loader.load(path: configPath)
        guard let new = newOrNil else {
            let problems = diagnostics.map(\.description)
            logger.error("reload rejected: the new configuration has problems; the running one stays", metadata: ["problems": "\(problems.count)", "first": "\(problems.first ?? "")"])
            return ReloadResult(ok: false, problems: problems, cameras: fleet.cameras.count)
        }
        let (removed, notices) = fleet.reload(new.cameras)
        for notice in notices { log(notice) }
        for id in removed {
            remindersSent[id] = nil
            snapshotTakenAt[id] = nil
            snapshotSuspects.remove(id)
        }
        loaded = new
        board.reset(statuses: fleet.statuses)
        sweep.reload(cameras: Set(fleet.cameras.keys))
        Self.forgetRemovedCameras(keeping: fleet.cameras.keys, store: store, logger: logger)
        hooks.inventoryChanged(Set(fleet.cameras.keys))
        schedule.reload(new.cameras.map { ScheduledCamera($0, profile: new.profile(for: $0)) }, now: now())
        Prober.returnFreedMemory()
        logger.notice("configuration reloaded", metadata: ["cameras": "\(new.cameras.count)", "removed": "\(removed.count)"])
        wake()
        return ReloadResult(ok: true, problems: [], cameras: new.cameras.count)
    }

    /// Counts for systemd's STATUS= line, the schedule's lag, and whether it
    /// counts as behind (``ScheduleLagWatch``).
    public func counts() -> (states: StateCounts, lag: Double, behind: Bool) {
        (fleet.counts, schedule.lag(now: now()), lagWatch.isBehind)
    }

    /// Drops the stored rows of cameras no longer in the inventory (their
    /// history stays until it ages out): the state table is bounded by the
    /// inventory, and a removed camera is not restored after a restart.
    private static func forgetRemovedCameras(
        keeping cameras: Dictionary<String, Camera>.Keys, store: StateStore, logger: Logger
    ) {
        do {
            let removed = try store.prune(keepingCameras: Set(cameras))
            if removed > 0 { logger.notice("forgot cameras no longer in the inventory", metadata: ["cameras": "\(removed)"]) }
        } catch {
            logger.error("cannot drop removed cameras from the state", metadata: ["error": "\(error)"])
        }
    }

    /// Seconds after which a camera whose state holds is looked at afresh: a
    /// new snapshot (a picture an hour is evidence enough of what a camera
    /// shows, and 11 of 12 probes at the default 300 s interval then skip the
    /// JPEG encoding), and the longest a probe carries the last decoded
    /// picture instead of decoding (``PictureCarry``): an hour bounds how long
    /// a fault that keeps the keyframe's size could go unseen.
    static let pictureRefresh: Double = 3600

    /// Whether camera `id`'s next probe takes a picture: it has none yet, its
    /// latest is older than ``pictureRefresh``, or its state may be about to
    /// change (its last verdict differed from its published state).
    private func snapshotDue(_ id: String) -> Bool {
        if snapshotSuspects.contains(id) { return true }
        guard let taken = snapshotTakenAt[id] else { return true }
        return now() - taken >= Self.pictureRefresh
    }

    private func keepSnapshot(_ snapshot: Snapshot?, camera: String, stateChanged: Bool) {
        do {
            try pictures?.save(snapshot, camera: camera, stateChanged: stateChanged)
        } catch {
            logger.error("cannot keep the snapshot", metadata: ["camera": "\(camera)", "error": "\(error)"])
        }
    }

    /// Drops history older than the retention period, and the snapshots of
    /// cameras no longer in the inventory or older than it.
    public func prune() {
        commitAndDrain()
        do {
            let cutoff = Date().addingTimeInterval(-settings.retention)
            let pictures = self.pictures?.prune(keeping: Set(fleet.cameras.keys), olderThan: cutoff) ?? 0
            if pictures > 0 { logger.info("pruned snapshots", metadata: ["files": "\(pictures)"]) }
            let removed = try store.prune(olderThan: cutoff)
            var events = try store.pruneOutbox(olderThan: cutoff)
            // Delivered heartbeats are news of the moment: a day of them is kept.
            events += try store.pruneOutbox(olderThan: Date().addingTimeInterval(-86_400), type: .proberHeartbeat)
            if removed + events > 0 {
                logger.info("pruned old history", metadata: ["transitions": "\(removed)", "events": "\(events)"])
            }
        } catch {
            logger.error("cannot prune history", metadata: ["error": "\(error)"])
        }
    }
}

extension Notice.Level {
    var logLevel: Logger.Level {
        switch self {
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}

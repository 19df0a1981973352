import Foundation

/// What the daemon knows of its fleet between probes: each camera's state
/// machine, the fleet guard, and the statuses and picture signatures it
/// publishes. A value: ``decide(_:camera:profile:at:events:)`` turns one
/// probe's report into a ``ProbeDecision`` and updates itself; no I/O.
public struct FleetState: Sendable {
    public private(set) var cameras: [String: Camera] = [:]
    public private(set) var statuses: [String: CameraStatus] = [:]
    public private(set) var signatures: [String: PictureSignature] = [:]
    /// Each camera's last decoded picture that showed nothing wrong, which its
    /// next probe may carry (``PictureCarry``). Not stored: after a restart the
    /// first probe decodes.
    public private(set) var decodedPictures: [String: DecodedPicture] = [:]
    /// Each recorder's last archive measurement, by recorder id.
    public private(set) var archives: [String: ArchiveMeasurement] = [:]
    private var machines: [String: CameraStateMachine] = [:]
    private var fleetGuard: FleetGuard
    private let machinePolicy: StateMachinePolicy

    /// A camera as the store last had it: its published status (inventory
    /// fields from ``initialStatus(of:)``, the stored state laid over them) and
    /// its last picture signature.
    public struct Restored: Sendable {
        public var status: CameraStatus
        public var signature: PictureSignature?

        public init(status: CameraStatus, signature: PictureSignature?) {
            self.status = status
            self.signature = signature
        }
    }

    /// The fleet of `cameras`, each restored from `restored` when it is there
    /// (state machine and guard start from the state operators were last told),
    /// else `unknown`.
    public init(
        cameras: [Camera], restored: [String: Restored], machine: StateMachinePolicy, fleetGuard: FleetGuardPolicy
    ) {
        self.machinePolicy = machine
        self.fleetGuard = FleetGuard(policy: fleetGuard)
        for camera in cameras {
            self.cameras[camera.id] = camera
            guard let saved = restored[camera.id] else {
                machines[camera.id] = CameraStateMachine(policy: machine)
                statuses[camera.id] = Self.initialStatus(of: camera)
                continue
            }
            let status = saved.status
            machines[camera.id] = CameraStateMachine(state: status.state, reasons: [], since: status.since, policy: machine)
            self.fleetGuard.restore(
                camera: camera.id, host: ProbeOutcome.hostKey(for: camera), school: ProbeOutcome.schoolKey(for: camera),
                state: status.state, reasons: [], since: status.since)
            statuses[camera.id] = status
            signatures[camera.id] = saved.signature
        }
    }

    /// A camera's status before anything is known of it: its inventory fields.
    public static func initialStatus(of camera: Camera) -> CameraStatus {
        CameraStatus(
            id: camera.id, region: camera.region, district: camera.district, school: camera.school.name,
            schoolBin: camera.school.bin, location: camera.location, kind: camera.kind,
            host: ProbeOutcome.hostKey(for: camera))
    }

    // MARK: One probe

    /// Decides what `report`, the probe of camera `id`, means: the policy's
    /// verdict under `profile`, the state machine's and the fleet guard's
    /// answers, the status to publish, the schedule's next step, the events
    /// (built by `events`) and the log lines.
    public mutating func decide(
        _ report: ProbeReport, camera id: String, profile: PolicyProfile, at time: Date, events: EventBuilder
    ) -> ProbeDecision {
        guard let camera = cameras[id] else { return .cameraGone }
        // Whole milliseconds, as the store keeps them: what is published now and
        // what is restored after a restart are the same instant.
        let time = Date(timeIntervalSince1970: (time.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let verdict = PolicyEvaluator(profile: profile, camera: camera).evaluate(main: report)
            .adding(archiveReasons(camera, profile: profile))
        guard verdict.isConclusive else {
            // Cut short by the prober itself (shutdown): says nothing about the camera.
            return ProbeDecision(verdict: verdict, schedule: .retry(after: ProbeDecision.inconclusiveRetry))
        }
        if let signature = report.picture?.statistics.signature { signatures[id] = signature }
        if report.picture?.carriedFrom == nil {
            decodedPictures[id] = DecodedPicture(of: report)?.following(decodedPictures[id])
        }
        var machine = machines[id] ?? CameraStateMachine(policy: machinePolicy)
        let actions = machine.record(verdict, at: time)
        machines[id] = machine
        let guardEvents = ProbeOutcome(camera: camera, verdict: verdict, at: time).map {
            fleetGuard.record($0, actions: actions)
        } ?? []
        let (status, transition) = published(
            camera, report: report, verdict: verdict, machine: machine, actions: actions, at: time,
            language: events.language)
        statuses[id] = status
        let notices = Self.notices(of: actions, status) + guardEvents.map { notice($0, language: events.language) }
        return ProbeDecision(
            verdict: verdict,
            schedule: Self.scheduleOutcome(actions: actions, state: machine.state, interval: profile.interval),
            status: status, transition: transition, signature: signatures[id],
            events: events.events(
                status: status, transition: transition, guardEvents: guardEvents, report: report, at: time, fleet: self),
            notices: notices)
    }

    /// A recorder's new archive measurement: its cameras' next verdicts include it
    /// (``archiveReasons(_:profile:)``), so an archive that turns short changes their
    /// state, events and alerts like any other reason, on their next probe.
    public mutating func record(archive measurement: ArchiveMeasurement) {
        archives[measurement.recorder] = measurement
    }

    /// A retry comes sooner than the regular interval, never later.
    static func scheduleOutcome(actions: [CameraAction], state: MonitorState, interval: Double) -> ScheduleOutcome {
        for case let .scheduleRetry(after) in actions { return .retry(after: min(after, interval)) }
        return state == .down ? .down : .up
    }

    /// The camera's status after the probe, and the transition when its
    /// published state changed.
    private func published(
        _ camera: Camera, report: ProbeReport, verdict: Verdict, machine: CameraStateMachine, actions: [CameraAction],
        at time: Date, language: Language
    ) -> (CameraStatus, StateTransition?) {
        var status = statuses[camera.id] ?? Self.initialStatus(of: camera)
        status.lastProbe = time
        status.state = machine.state
        status.codec = report.video?.codec
        status.width = report.video?.width
        status.height = report.video?.height
        status.frameRate = report.video?.timing.frameRate
        status.archive = camera.recorder.flatMap { channel in
            archives[channel.recorder].map { ArchiveStatus($0, channel: channel.channel) }
        }
        status.flapping = machine.isFlapping
        status.affectedBy = fleetGuard.cover(of: camera.id).map(\.description)
        var transition: StateTransition?
        for case let .transition(from, to, reasons, since, _) in actions {
            status.since = since
            status.reasons = reasons.map { StatusReasonText($0, language: language) }
            transition = StateTransition(camera: camera.id, from: from, to: to, at: since, reasons: status.reasons)
        }
        if transition == nil, machine.state != .unknown {
            // Same state: keep its reasons current (a degraded camera's reasons may change).
            status.reasons = verdict.reasons.map { StatusReasonText($0, language: language) }
        }
        return (status, transition)
    }

    // MARK: The inventory

    /// Takes a new inventory: cameras gone are forgotten (the guard may clear
    /// a group they leave), new ones start `unknown`, kept ones keep what was
    /// measured and decided and take the inventory's new fields. Returns the
    /// ids removed and the log lines of the guard's answers.
    public mutating func reload(_ new: [Camera]) -> (removed: Set<String>, notices: [Notice]) {
        let removed = Set(cameras.keys).subtracting(new.map(\.id))
        var notices: [Notice] = []
        for id in removed {
            cameras[id] = nil
            machines[id] = nil
            statuses[id] = nil
            signatures[id] = nil
            decodedPictures[id] = nil
            notices += fleetGuard.remove(camera: id).map { notice($0, language: .en) }
        }
        for camera in new {
            cameras[camera.id] = camera
            if machines[camera.id] == nil { machines[camera.id] = CameraStateMachine(policy: machinePolicy) }
            let fresh = Self.initialStatus(of: camera)
            var status = statuses[camera.id] ?? fresh
            (status.region, status.district, status.school, status.schoolBin) = (fresh.region, fresh.district, fresh.school, fresh.schoolBin)
            (status.location, status.kind, status.host) = (fresh.location, fresh.kind, fresh.host)
            statuses[camera.id] = status
        }
        return (removed, notices)
    }

    /// The statuses of the cameras of one host (``ProbeOutcome/hostKey(for:)``)
    /// or school (``ProbeOutcome/schoolKey(for:)``).
    public func members(of level: GroupEventData.Level, _ key: String) -> [CameraStatus] {
        cameras.values.compactMap { camera -> CameraStatus? in
            let cameraKey = level == .school ? ProbeOutcome.schoolKey(for: camera) : ProbeOutcome.hostKey(for: camera)
            return cameraKey == key ? statuses[camera.id] : nil
        }
    }

    /// How many cameras are in each state.
    public var counts: StateCounts {
        var counts = StateCounts()
        for status in statuses.values { counts.add(status.state) }
        return counts
    }
}

/// Cameras per state.
public struct StateCounts: Sendable, Equatable {
    public var up = 0, degraded = 0, down = 0, unknown = 0
    public var cameras: Int { up + degraded + down + unknown }

    public init() {}

    mutating func add(_ state: MonitorState) {
        switch state {
        case .up: up += 1
        case .degraded: degraded += 1
        case .down: down += 1
        case .unknown: unknown += 1
        }
    }
}

extension StatusReasonText {
    public init(_ reason: Reason, language: Language) {
        self.init(code: reason.code.rawValue, severity: reason.severity.rawValue, text: reason.text(in: language))
    }
}

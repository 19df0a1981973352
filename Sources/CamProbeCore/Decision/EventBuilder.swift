import Foundation

/// Turns what was decided after one probe (the camera's transition, the fleet
/// guard's answers) into CloudEvents. A value: given the fleet it reads
/// statuses from, it returns events; no I/O.
public struct EventBuilder: Sendable {
    /// This prober's instance id: the subject of its own events.
    public let instance: String
    /// The events' `source`.
    public let source: String
    /// The language of the reasons' texts.
    public let language: Language
    let makeID: @Sendable () -> String

    public init(
        instance: String, language: Language, makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.instance = instance
        self.source = CloudEvent.source(instance: instance)
        self.language = language
        self.makeID = makeID
    }

    /// Events of one finished probe of `status.id`: a state event for its
    /// transition (alerted or explained by the guard's cover), the guard's group
    /// events, and changes of other cameras the guard publishes late.
    func events(
        status: CameraStatus, transition: StateTransition?, guardEvents: [FleetEvent], report: ProbeReport?,
        at time: Date, fleet: FleetState
    ) -> [CloudEvent] {
        var events: [CloudEvent] = []
        var decision: (alerted: Bool, affectedBy: String?)? = nil
        for event in guardEvents {
            switch event {
            case let .publish(change) where change.camera == status.id && transition != nil && decision == nil:
                decision = (true, nil)
            case let .suppress(change, because) where change.camera == status.id:
                decision = (false, because.description)
            case let .publish(change):
                guard let other = fleet.statuses[change.camera] else { continue }
                events.append(camera(
                    .alert, other, from: change.from, to: change.to, since: change.since,
                    reasons: change.reasons.map { StatusReasonText($0, language: language) }, alerted: true,
                    affectedBy: nil, probedAt: change.at, measured: nil, at: time))
            case .suppress:
                continue
            case let .hostDown(host, failure):
                events.append(group(.host, host, .down, failure: failure, members: fleet.members(of: .host, host), at: time))
            case let .hostRecovered(host):
                events.append(group(.host, host, .up, failure: nil, members: fleet.members(of: .host, host), at: time))
            case let .schoolDown(school, failure):
                events.append(group(.school, school, .down, failure: failure, members: fleet.members(of: .school, school), at: time))
            case let .schoolRecovered(school):
                events.append(group(.school, school, .up, failure: nil, members: fleet.members(of: .school, school), at: time))
            case let .proberDegraded(degradation):
                events.append(CloudEvent(
                    id: makeID(), source: source, time: time, subject: instance,
                    data: .group(GroupEventData(
                        level: .prober, name: instance, state: .down,
                        reason: StatusReasonText(Reason(code: degradation.reason, severity: .failure), language: language),
                        failing: degradation.failing, probed: degradation.probed, hosts: degradation.hosts,
                        since: degradation.at))))
            case .proberRecovered:
                events.append(CloudEvent(
                    id: makeID(), source: source, time: time, subject: instance,
                    data: .group(GroupEventData(level: .prober, name: instance, state: .up, since: time))))
            }
        }
        let own = transition.map { transition in
            camera(
                .state, status, from: transition.from, to: transition.to, since: transition.at,
                reasons: transition.reasons, alerted: decision?.alerted ?? true, affectedBy: decision?.affectedBy,
                probedAt: time, measured: report.map(Self.measurement), at: time)
        }
        // A host's or school's outage is said before the cameras it explains.
        return events + (own.map { [$0] } ?? [])
    }

    func camera(
        _ kind: CameraEventData.Kind, _ status: CameraStatus, from: MonitorState, to: MonitorState, since: Date,
        reasons: [StatusReasonText], alerted: Bool, affectedBy: String?, probedAt: Date?, measured: EventMeasurement?,
        openFor: Double? = nil, at time: Date
    ) -> CloudEvent {
        CloudEvent(
            id: makeID(), source: source, time: time, subject: status.id,
            data: .camera(CameraEventData(
                kind: kind, camera: EventCamera(status), from: from, to: to, since: since, reasons: reasons,
                alerted: alerted, affectedBy: affectedBy, probedAt: probedAt, measured: measured, openFor: openFor)))
    }

    /// A reminder that `status` is still down or degraded.
    public func reminder(_ status: CameraStatus, at time: Date) -> CloudEvent? {
        guard let since = status.since, status.state == .down || status.state == .degraded else { return nil }
        let measured = EventMeasurement(codec: status.codec, width: status.width, height: status.height, frameRate: status.frameRate)
        return camera(
            .reminder, status, from: status.state, to: status.state, since: since, reasons: status.reasons,
            alerted: true, affectedBy: nil, probedAt: status.lastProbe, measured: measured,
            openFor: time.timeIntervalSince(since).rounded(), at: time)
    }

    /// Every camera's state.
    public func snapshot(_ statuses: [CameraStatus], at time: Date) -> CloudEvent {
        let entries = statuses.sorted { $0.id < $1.id }.map {
            SnapshotEventData.Entry(camera: $0.id, state: $0.state, since: $0.since, reasons: $0.reasons.map(\.code), affectedBy: $0.affectedBy)
        }
        return CloudEvent(id: makeID(), source: source, time: time, subject: instance, data: .snapshot(SnapshotEventData(cameras: entries)))
    }

    /// The prober is alive: its counts, lag and last sweep.
    public func heartbeat(
        states: StateCounts, lag: Double, interval: Double, lastSweep: HeartbeatEventData.Sweep?, at time: Date
    ) -> CloudEvent {
        CloudEvent(
            id: makeID(), source: source, time: time, subject: instance,
            data: .heartbeat(HeartbeatEventData(
                instance: instance, version: CamProbeVersion.current, states: states, lagSeconds: lag,
                intervalSeconds: interval, lastSweep: lastSweep)))
    }

    /// The schedule fell behind or caught up (`since` as a time).
    public func schedule(
        _ state: ScheduleEventData.State, lag: Double, since: Date, probeLimit: Int, probesNeeded: Double, at time: Date
    ) -> CloudEvent {
        CloudEvent(
            id: makeID(), source: source, time: time, subject: instance,
            data: .schedule(ScheduleEventData(
                instance: instance, state: state, lagSeconds: lag, since: since, probeLimit: probeLimit,
                probesNeeded: probesNeeded)))
    }

    private func group(
        _ level: GroupEventData.Level, _ name: String, _ state: MonitorState, failure: GroupFailure?,
        members: [CameraStatus], at time: Date
    ) -> CloudEvent {
        let region = Self.common(members.map(\.region))
        let district = Self.common(members.map(\.district))
        let school = level == .host ? Self.common(members.map(\.school)) : nil
        var data = GroupEventData(level: level, name: name, state: state, region: region, district: district, school: school, since: failure?.since ?? time)
        if let failure {
            data.reason = StatusReasonText(Reason(code: failure.reason, severity: .failure), language: language)
            data.failing = failure.failing
            data.probed = failure.probed
            data.cameras = failure.cameras
        }
        return CloudEvent(id: makeID(), source: source, time: time, subject: name, data: .group(data))
    }

    /// The value all share, or nil.
    static func common(_ values: [String]) -> String? {
        guard let first = values.first, values.allSatisfy({ $0 == first }) else { return nil }
        return first
    }

    static func measurement(_ report: ProbeReport) -> EventMeasurement {
        EventMeasurement(
            codec: report.video?.codec, width: report.video?.width, height: report.video?.height,
            frameRate: report.video?.timing.frameRate, bitrateKbps: report.video?.timing.bitrate.map { ($0 / 1000).rounded() },
            keyframeInterval: report.video?.timing.keyframeInterval, failure: report.failure?.code.rawValue)
    }
}

import Foundation

/// The parent and fleet guard: when most cameras of one host, one school, or
/// the whole fleet fail together, it reports the host, school or prober once
/// and keeps the cameras' own alerts back, instead of telling operators of 16
/// cameras down, or of a whole region.
///
/// A value, fed by the daemon after every conclusive probe:
/// ```swift
/// let actions = machines[camera.id].record(verdict, at: now)
/// if let outcome = ProbeOutcome(camera: camera, verdict: verdict, at: now) {
///     events += fleetGuard.record(outcome, actions: actions)   // publish what it says
/// }
/// ```
/// Every ``CameraAction/transition(from:to:reasons:since:at:)`` in `actions`
/// comes back as exactly one ``FleetEvent/publish(_:)`` or
/// ``FleetEvent/suppress(_:because:)``; the guard's own events (host, school,
/// prober) come before it. Later, a change a camera went through while covered
/// is published once its cover is gone and fresh probes agree with it.
///
/// **When a group is blamed.** Raw probe outcomes are evidence; the cameras'
/// confirmed transitions are the trigger. A group is blamed when one of its
/// cameras' own transition to `down` is about to be published and, at that
/// moment, the group's rule holds. So the group gets the cameras' grace period
/// (a DVR rebooting for 30 s alerts nobody), and it is said exactly when it
/// would otherwise have been said once per camera. The broader cause wins:
/// prober, then school, then host.
///
/// **The window.** For a host or school the evidence is what happened since
/// the first failure of the episode: for a candidate start `s` (each failing
/// camera's first failure), a camera supports it if it has failed ever since
/// (last success before `s`, first failure at or after `s`), contradicts it if
/// it answered at or after `s`, and says nothing otherwise (dead since before
/// `s`, or not probed since). The rule holds if some `s` has enough supporters
/// and a large enough share of supporters among supporters and contradictions.
/// A fixed window would either mix in successes from before the outage (so a
/// DVR is recognised only after most of a sweep, while its first cameras' own
/// alerts leak out) or lose the cameras the scheduler has backed off. For the
/// prober, evidence is abundant: each camera's latest probe within
/// ``FleetGuardPolicy/proberWindow``.
///
/// **Recovery.** A blamed group recovers when its failing share since the
/// episode's start falls below its recovery share (or its failing cameras below
/// the minimum). While the prober is degraded, hosts and schools neither fall
/// nor recover: the evidence is the prober's. When the prober recovers, failures
/// that began while it was degraded are forgotten.
public struct FleetGuard: Sendable {
    struct Member: Sendable {
        var host: String
        var school: String
        /// The latest success.
        var lastSuccess: Date?
        /// The first failure since ``lastSuccess``, while failing.
        var failingSince: Date?
        /// The latest failure's code, while failing.
        var failure: ReasonCode?
        /// The state machine's state, as its transitions told it.
        var actual: MonitorState = .unknown
        var actualReasons: [Reason] = []
        var actualSince: Date?
        /// What operators were told.
        var published: MonitorState = .unknown
        /// Consecutive probes agreeing with ``actual`` since the camera's cover
        /// ended, and how many are needed to publish it.
        var confirmations = 0
        var confirmationsNeeded = 1
    }

    struct Group: Sendable {
        var members: Set<String> = []
        /// Set while the group is blamed.
        var down: GroupFailure?
    }

    public let policy: FleetGuardPolicy
    var members: [String: Member] = [:]
    var hosts: [String: Group] = [:]
    var schools: [String: Group] = [:]
    var fleet = FleetWindow()
    /// Set while the prober blames itself.
    public private(set) var proberDegradation: ProberDegradation?

    public init(policy: FleetGuardPolicy = .default) {
        self.policy = policy
    }

    /// Takes one conclusive probe's outcome and the actions its camera's state
    /// machine returned for the same probe. Returns, in order: the prober's,
    /// schools' and hosts' recoveries; for each transition, a host, school or
    /// prober blamed because of it, then the transition's publish or suppress;
    /// or, without a transition, a change published late.
    public mutating func record(_ outcome: ProbeOutcome, actions: [CameraAction] = []) -> [FleetEvent] {
        let id = outcome.camera
        var events = join(id, host: outcome.host, school: outcome.school)
        update(id, with: outcome)
        fleet.record(camera: id, host: outcome.host, failure: outcome.failure, at: outcome.at, window: policy.proberWindow)

        let wasCovered = cover(of: id) != nil
        events += recoveries(around: id, at: outcome.at)
        let justUncovered = wasCovered && cover(of: id) == nil

        var transitioned = false
        for case let .transition(from, to, reasons, since, at) in actions {
            transitioned = true
            events += route(CameraChange(camera: id, from: from, to: to, reasons: reasons, since: since, at: at))
        }
        if !transitioned, !justUncovered, let event = catchUp(id, outcome) {
            events.append(event)
        }
        return events
    }

    /// Seeds camera `id` with the state operators were told before a restart
    /// (from the state store), the state its ``CameraStateMachine`` is restored
    /// with too, so that its next change is published from there (`down → up`,
    /// "camera back") rather than from `unknown`.
    public mutating func restore(
        camera id: String, host: String, school: String, state: MonitorState, reasons: [Reason] = [], since: Date?
    ) {
        _ = join(id, host: host, school: school)
        members[id]?.published = state
        members[id]?.actual = state
        members[id]?.actualReasons = reasons
        members[id]?.actualSince = since
    }

    /// Forgets a camera that left the inventory. A blamed group left with no
    /// camera recovers.
    public mutating func remove(camera id: String) -> [FleetEvent] {
        fleet.remove(camera: id)
        let events = leave(id)
        members[id] = nil
        return events
    }

    /// Why camera `id`'s changes are held back now; nil when they are published.
    public func cover(of id: String) -> Suppression? {
        if proberDegradation != nil { return .prober }
        guard let member = members[id] else { return nil }
        if schools[member.school]?.down != nil { return .school(member.school) }
        if hosts[member.host]?.down != nil { return .host(member.host) }
        return nil
    }

    /// What operators were told of camera `id`.
    public func publishedState(of id: String) -> MonitorState {
        members[id]?.published ?? .unknown
    }

    /// Hosts blamed now, by key.
    public var downHosts: [String: GroupFailure] { hosts.compactMapValues(\.down) }

    /// Schools blamed now, by key.
    public var downSchools: [String: GroupFailure] { schools.compactMapValues(\.down) }

    // MARK: - Cameras

    private mutating func join(_ id: String, host: String, school: String) -> [FleetEvent] {
        var events: [FleetEvent] = []
        if let member = members[id], member.host != host || member.school != school {
            events = leave(id)
        }
        members[id, default: Member(host: host, school: school)].host = host
        members[id]?.school = school
        hosts[host, default: Group()].members.insert(id)
        schools[school, default: Group()].members.insert(id)
        return events
    }

    /// Takes camera `id` out of its groups; a blamed group left empty recovers.
    private mutating func leave(_ id: String) -> [FleetEvent] {
        guard let member = members[id] else { return [] }
        var events: [FleetEvent] = []
        hosts[member.host]?.members.remove(id)
        if let group = hosts[member.host], group.members.isEmpty {
            hosts[member.host] = nil
            if group.down != nil { events.append(.hostRecovered(host: member.host)) }
        }
        schools[member.school]?.members.remove(id)
        if let group = schools[member.school], group.members.isEmpty {
            schools[member.school] = nil
            if group.down != nil { events.append(.schoolRecovered(school: member.school)) }
        }
        return events
    }

    private mutating func update(_ id: String, with outcome: ProbeOutcome) {
        guard var member = members[id] else { return }
        if let failure = outcome.failure {
            if member.failingSince == nil { member.failingSince = outcome.at }
            member.failure = failure
        } else {
            member.lastSuccess = outcome.at
            member.failingSince = nil
            member.failure = nil
        }
        members[id] = member
    }

    /// Publishes or suppresses one of camera `change.camera`'s transitions,
    /// blaming a group first if this is the moment to.
    private mutating func route(_ change: CameraChange) -> [FleetEvent] {
        let id = change.camera
        guard var member = members[id] else { return [] }
        member.actual = change.to
        member.actualReasons = change.reasons
        member.actualSince = change.since
        member.confirmations = 0
        members[id] = member

        var events: [FleetEvent] = []
        var cause = cover(of: id)
        if cause == nil, change.to == .down {
            if let degradation = proberRule(at: change.at) {
                proberDegradation = degradation
                events.append(.proberDegraded(degradation))
                cause = .prober
            } else if let failure = groupRule(schools[member.school], schoolRule) {
                schools[member.school]?.down = failure
                events.append(.schoolDown(school: member.school, failure))
                cause = .school(member.school)
            } else if let failure = groupRule(hosts[member.host], hostRule) {
                hosts[member.host]?.down = failure
                events.append(.hostDown(host: member.host, failure))
                cause = .host(member.host)
            }
        }
        if let cause {
            events.append(.suppress(change, because: cause))
        } else if member.published == change.to {
            events.append(.suppress(change, because: .unchanged))
        } else {
            events.append(.publish(CameraChange(
                camera: id, from: member.published, to: change.to, reasons: change.reasons,
                since: change.since, at: change.at)))
            members[id]?.published = change.to
        }
        return events
    }

    /// Publishes the state camera `id` reached while covered, once enough
    /// probes after the cover agree with it.
    /// The change says the latest probe's reasons when it has them: they are
    /// the camera's own now, where the transition's may be the common cause's.
    private mutating func catchUp(_ id: String, _ outcome: ProbeOutcome) -> FleetEvent? {
        guard cover(of: id) == nil, var member = members[id], member.published != member.actual,
            let since = member.actualSince
        else { return nil }
        let agrees = outcome.isFailure == (member.actual == .down)
        member.confirmations = agrees ? member.confirmations + 1 : 0
        defer { members[id] = member }
        guard member.confirmations >= member.confirmationsNeeded else { return nil }
        let reasons = outcome.reasons.isEmpty ? member.actualReasons : outcome.reasons
        let change = CameraChange(
            camera: id, from: member.published, to: member.actual, reasons: reasons, since: since, at: outcome.at)
        member.published = member.actual
        member.confirmations = 0
        return .publish(change)
    }

    // MARK: - Recoveries

    /// The prober's recovery, then camera `id`'s school's and host's.
    private mutating func recoveries(around id: String, at time: Date) -> [FleetEvent] {
        var events: [FleetEvent] = []
        if let degradation = proberDegradation {
            guard fleet.probed >= policy.proberMinimumProbed,
                Self.share(fleet.failing, of: fleet.probed) < policy.proberRecoveryShare
            else {
                return events
            }
            proberDegradation = nil
            events.append(.proberRecovered)
            forgetFailures(since: degradation.at.addingTimeInterval(-policy.proberWindow))
        }
        guard let member = members[id] else { return events }
        if let failure = schools[member.school]?.down,
            !holds(schools[member.school], since: failure.since, schoolRule)
        {
            schools[member.school]?.down = nil
            events.append(.schoolRecovered(school: member.school))
            uncover(schools[member.school]?.members ?? [])
        }
        if let failure = hosts[member.host]?.down,
            !holds(hosts[member.host], since: failure.since, hostRule)
        {
            hosts[member.host]?.down = nil
            events.append(.hostRecovered(host: member.host))
            uncover(hosts[member.host]?.members ?? [])
        }
        return events
    }

    /// After the prober recovered: its failures are no evidence about the
    /// cameras, and every camera's changes must be confirmed afresh.
    private mutating func forgetFailures(since start: Date) {
        for id in members.keys {
            members[id]?.confirmations = 0
            members[id]?.confirmationsNeeded = policy.confirmationsAfterProberRecovery
            if let failingSince = members[id]?.failingSince, failingSince >= start {
                members[id]?.failingSince = nil
                members[id]?.failure = nil
            }
        }
    }

    private mutating func uncover(_ ids: Set<String>) {
        for id in ids where cover(of: id) == nil {
            members[id]?.confirmations = 0
            members[id]?.confirmationsNeeded = policy.confirmationsAfterGroupRecovery
        }
    }
}

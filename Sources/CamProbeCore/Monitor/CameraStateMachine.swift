import Foundation

/// One camera's hysteresis: turns the policy's verdict of every probe into the
/// state operators are told, late enough that a blip alerts nobody, early
/// enough that a dead camera is reported within about a minute.
///
/// A value: `record(_:at:)` takes a verdict and the time of its probe (no clock
/// is read here) and returns what to do. The rules:
/// - A state worse than the published one is published after
///   ``StateMachinePolicy/failuresToDown`` consecutive worse verdicts; a better
///   one after ``StateMachinePolicy/successesToRecover`` consecutive better
///   verdicts (from `unknown`: one `up` verdict). A verdict equal to the
///   published state ends the streak.
/// - A streak may mix states: it confirms the least change all its verdicts
///   agree on. `down, degraded, down` from `up` confirms `degraded` (every probe
///   was at least non-compliant, not every probe was dead); `up, degraded` from
///   `down` confirms `degraded`. The trailing verdicts beyond the confirmed
///   state start the next streak (`degraded, degraded, down` from `up` confirms
///   `degraded`, with one failure already counted towards `down`).
/// - Inconclusive verdicts (``Verdict/isConclusive``) change nothing.
/// - While a change involving `down` waits for confirmation, a retry is asked
///   for (``StateMachinePolicy/retryInterval``).
/// - ``StateMachinePolicy/flappingChanges`` state changes within
///   ``StateMachinePolicy/flappingWindow`` report ``CameraAction/flappingStarted``
///   once; ``StateMachinePolicy/flappingQuietPeriod`` without a change reports
///   ``CameraAction/flappingEnded``. The first state (from `unknown`) is not a
///   change.
public struct CameraStateMachine: Sendable, Equatable {
    /// Where the camera is between confirmed states.
    public enum Phase: Sendable, Equatable {
        /// The latest verdict agreed with the published state.
        case steady
        /// `count` consecutive verdicts worse than the published state; `toward`
        /// is the state they would confirm (`down`: failing but not down yet).
        case suspect(toward: CameraState, count: Int)
        /// `count` consecutive verdicts better than the published state.
        case recovering(toward: CameraState, count: Int)
    }

    private struct Observation: Sendable, Equatable {
        var state: CameraState
        var reasons: [Reason]
        var at: Date
    }

    public let policy: StateMachinePolicy
    /// The published state.
    public private(set) var state: MonitorState
    /// The reasons of the verdict that confirmed ``state`` (then of later
    /// verdicts with the same state).
    public private(set) var reasons: [Reason]
    /// When the camera entered ``state``: the first probe of the streak that
    /// confirmed it. The outage duration of a `down` camera is `now - since`.
    public private(set) var since: Date?
    /// When the last transition was confirmed.
    public private(set) var lastTransition: Date?
    public private(set) var isFlapping: Bool
    /// Verdicts since the last one that agreed with ``state``, all worse or all
    /// better than it; never as long as a confirmation.
    private var streak: [Observation]
    /// Confirmation times of the recent state changes, oldest first, within the
    /// flapping window.
    private var recentChanges: [Date]

    /// A camera not yet probed.
    public init(policy: StateMachinePolicy = .default) {
        self.init(state: .unknown, reasons: [], since: nil, policy: policy)
    }

    /// A camera whose published state is restored (after a restart, from the
    /// state store), with no probe pending confirmation.
    public init(state: MonitorState, reasons: [Reason] = [], since: Date?, policy: StateMachinePolicy = .default) {
        self.policy = policy
        self.state = state
        self.reasons = reasons
        self.since = since
        self.lastTransition = since
        self.isFlapping = false
        self.streak = []
        self.recentChanges = []
    }

    public var phase: Phase {
        guard let target = streakTarget else { return .steady }
        return isWorse(target)
            ? .suspect(toward: target, count: streak.count)
            : .recovering(toward: target, count: streak.count)
    }

    /// How long the camera has been in ``state`` at `now`; nil before the first
    /// confirmed state.
    public func duration(at now: Date) -> TimeInterval? {
        since.map { now.timeIntervalSince($0) }
    }

    /// Takes the verdict of one probe that ran at `time` and returns what to do,
    /// in order: a state transition, then a flapping change, or a retry.
    public mutating func record(_ verdict: Verdict, at time: Date) -> [CameraAction] {
        guard verdict.isConclusive else { return [] }
        var actions: [CameraAction] = []
        if isFlapping, let last = lastTransition, time.timeIntervalSince(last) >= policy.flappingQuietPeriod {
            isFlapping = false
            recentChanges = []
            actions.append(.flappingEnded)
        }

        let observation = Observation(state: verdict.state, reasons: verdict.reasons, at: time)
        if MonitorState(verdict.state) == state {
            streak = []
            reasons = verdict.reasons
            return actions
        }
        if let first = streak.first, isWorse(first.state) != isWorse(verdict.state) {
            streak = []
        }
        streak.append(observation)

        if let target = streakTarget, streak.count >= needed(toward: target) {
            actions += confirm(target, at: time)
        }
        if let target = streakTarget, state == .down || (isWorse(target) && verdict.state == .down) {
            actions.append(.scheduleRetry(after: policy.retryInterval))
        }
        return actions
    }

    /// The state the current streak would confirm: the least change its verdicts
    /// agree on (the best of worse verdicts, the worst of better ones).
    private var streakTarget: CameraState? {
        guard let first = streak.first else { return nil }
        let states = streak.map(\.state)
        return isWorse(first.state) ? states.min() : states.max()
    }

    private func isWorse(_ candidate: CameraState) -> Bool {
        guard let current = state.cameraState else { return candidate != .up }
        return candidate > current
    }

    private func needed(toward target: CameraState) -> Int {
        if isWorse(target) { return policy.failuresToDown }
        return state == .unknown ? 1 : policy.successesToRecover
    }

    private mutating func confirm(_ target: CameraState, at time: Date) -> [CameraAction] {
        let from = state
        let confirming = streak.last { $0.state == target } ?? streak[streak.count - 1]
        let start = streak[0].at
        state = MonitorState(target)
        reasons = confirming.reasons
        since = start
        lastTransition = time
        // Verdicts after the last one with the confirmed state go beyond it
        // (all worse, or all better): they open the next streak.
        if let lastIndex = streak.lastIndex(where: { $0.state == target }) {
            streak = Array(streak[(lastIndex + 1)...])
        } else {
            streak = []
        }
        var actions: [CameraAction] = [.transition(from: from, to: state, reasons: reasons, since: start, at: time)]
        guard from != .unknown else { return actions }
        recentChanges.append(time)
        recentChanges.removeAll { time.timeIntervalSince($0) > policy.flappingWindow }
        if !isFlapping, recentChanges.count >= policy.flappingChanges {
            isFlapping = true
            actions.append(.flappingStarted)
        }
        return actions
    }
}

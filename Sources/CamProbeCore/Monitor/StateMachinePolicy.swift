import Foundation

/// The hysteresis of one camera's ``CameraStateMachine``. Every default is
/// here, with its reason. Counts below 1 count as 1; intervals are seconds.
public struct StateMachinePolicy: Sendable, Equatable {
    /// Consecutive conclusive verdicts worse than the published state before the
    /// worse state is published. Applies to `down` and, by the same rule, to
    /// `degraded`: a borderline measurement (14.9 fps against 15) must not
    /// alternate compliant/non-compliant alerts any more than a blip may alert
    /// "offline". Default 3: operators ask for "N failures before alerting"; with
    /// ``retryInterval`` 30 s a dead camera is reported about a minute after its
    /// first failure, and a 30-second blip never.
    public var failuresToDown: Int
    /// Consecutive conclusive verdicts better than the published state before
    /// the better state is published ("camera back"). Default 2: one good probe
    /// of a camera that was down may be a flap; two, 30 s apart, is a recovery.
    /// From `unknown`, one working probe is enough: it alerts nobody.
    public var successesToRecover: Int
    /// How soon to probe again while a change that involves `down` waits for
    /// confirmation: a first failure of a camera that is not down yet, or a
    /// first good probe of a camera that is down. Default 30 s, a tenth of the
    /// built-in 300 s interval: confirmation (and "camera back") within a
    /// minute, at the cost of two extra probes per incident. A pending change
    /// between `up` and `degraded` only is not retried: compliance is not
    /// urgent, and most of a region's cameras are non-compliant, so retrying
    /// them would double the first sweep's load.
    public var retryInterval: TimeInterval
    /// State changes within ``flappingWindow`` that make the camera flapping.
    /// Default 4: two full down/up cycles in half an hour, which the grace
    /// periods above should have absorbed if the camera were merely unlucky.
    public var flappingChanges: Int
    /// Default 1800 s (30 min).
    public var flappingWindow: TimeInterval
    /// A flapping camera stops flapping after this long without a state change.
    /// Default 1800 s (30 min), as long as the window: a camera is not declared
    /// stable sooner than it was declared unstable.
    public var flappingQuietPeriod: TimeInterval

    public init(
        failuresToDown: Int = 3,
        successesToRecover: Int = 2,
        retryInterval: TimeInterval = 30,
        flappingChanges: Int = 4,
        flappingWindow: TimeInterval = 1800,
        flappingQuietPeriod: TimeInterval = 1800
    ) {
        self.failuresToDown = max(1, failuresToDown)
        self.successesToRecover = max(1, successesToRecover)
        self.retryInterval = retryInterval
        self.flappingChanges = max(1, flappingChanges)
        self.flappingWindow = flappingWindow
        self.flappingQuietPeriod = flappingQuietPeriod
    }

    public static let `default` = StateMachinePolicy()
}

import Foundation

/// What the daemon should do after ``CameraStateMachine/record(_:at:)``.
public enum CameraAction: Sendable, Equatable {
    /// The published state changed. `since` is the time of the first probe of
    /// the streak that confirmed it (when the camera entered the new state, as
    /// far as we know: outage history counts from there); `at` is the probe that
    /// confirmed it. `reasons` are those of the latest verdict with the new
    /// state (empty for `unknown`).
    case transition(from: MonitorState, to: MonitorState, reasons: [Reason], since: Date, at: Date)
    /// Probe this camera again after this many seconds instead of its regular
    /// interval: a change involving `down` waits for confirmation.
    case scheduleRetry(after: TimeInterval)
    /// The camera changes state too often (see ``StateMachinePolicy/flappingChanges``).
    /// Reported once; from here until ``flappingEnded`` its transitions are still
    /// returned (for history) but should not be alerted one by one.
    case flappingStarted
    /// No state change for ``StateMachinePolicy/flappingQuietPeriod``: the
    /// camera settled in ``CameraStateMachine/state``, which is worth one alert.
    case flappingEnded
}

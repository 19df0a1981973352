/// A probe the schedule wants started now.
public struct ScheduledProbe: Sendable, Equatable {
    /// Why this probe happens now.
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        /// The camera's regular interval (its first probe included).
        case interval
        /// The state machine asked to confirm a failure soon (``ScheduleOutcome/retry(after:)``).
        case retry
        /// The camera is down and probed at its backed-off interval.
        case backoff
        /// An operator asked for it ("probe now").
        case requested
    }

    public var cameraID: String
    /// The session-limit key it counts against (``ScheduledCamera/sessionKey``).
    public var sessionKey: String
    /// When it was due (for a request: when it was asked for); the start's
    /// lateness is `now - due`.
    public var due: Double
    public var reason: Reason

    public init(cameraID: String, sessionKey: String, due: Double, reason: Reason) {
        self.cameraID = cameraID
        self.sessionKey = sessionKey
        self.due = due
        self.reason = reason
    }
}

/// What a finished probe means for the camera's next one, as the camera state
/// machine decided it. The schedule knows nothing of verdicts: the daemon maps
/// the state machine's decision to one of these.
public enum ScheduleOutcome: Sendable, Equatable {
    /// The camera answered (up, or degraded but reachable): the next probe comes
    /// one interval later, on the camera's phase, and any backoff is reset.
    case up
    /// The state machine holds the camera down: the next probe is backed off.
    /// Each consecutive `down` multiplies the wait by
    /// ``ProbeScheduleSettings/backoffFactor`` up to
    /// ``ProbeScheduleSettings/maxBackoffInterval``; an `up` resets it.
    case down
    /// Probe again `after` seconds, off the regular rhythm: the state machine
    /// wants to confirm a first failure before it calls the camera down.
    /// The backoff is left as it is.
    case retry(after: Double)
}

import Foundation

/// Everything one finished probe means for the daemon, decided as a value by
/// ``FleetState/decide(_:camera:profile:at:events:)``: the daemon applies it
/// once (one schedule call, one store write, one log pass) and decides nothing
/// itself.
public struct ProbeDecision: Sendable, Equatable {
    /// The policy's verdict on the report (nil when the camera had left the
    /// inventory while its probe ran).
    public var verdict: Verdict?
    /// What the schedule does with the camera next.
    public var schedule: ScheduleOutcome
    /// The camera's status as now published; nil when there is nothing to
    /// publish or store (an inconclusive probe, a camera no longer watched).
    public var status: CameraStatus?
    /// The published state changed: the row for the history.
    public var transition: StateTransition?
    /// The picture signature to compare the next probe with (nil: keep the stored one).
    public var signature: PictureSignature?
    /// The CloudEvents to write to the outbox with the state, in order.
    public var events: [CloudEvent]
    /// What to log, in order.
    public var notices: [Notice]

    public init(
        verdict: Verdict?, schedule: ScheduleOutcome, status: CameraStatus? = nil, transition: StateTransition? = nil,
        signature: PictureSignature? = nil, events: [CloudEvent] = [], notices: [Notice] = []
    ) {
        self.verdict = verdict
        self.schedule = schedule
        self.status = status
        self.transition = transition
        self.signature = signature
        self.events = events
        self.notices = notices
    }

    /// A probe of a camera that left the inventory while it ran: nothing to say,
    /// and the schedule forgets it.
    public static let cameraGone = ProbeDecision(verdict: nil, schedule: .up)

    /// Seconds before a probe cut short by the prober (shutdown, cancellation)
    /// is tried again: it said nothing about the camera.
    public static let inconclusiveRetry: Double = 5
}

/// One line for the daemon's log, as a value: level, message and metadata.
public struct Notice: Sendable, Equatable {
    public enum Level: String, Sendable {
        case info, notice, warning, error, critical
    }

    public var level: Level
    public var message: String
    public var metadata: [String: String]

    public init(_ level: Level, _ message: String, _ metadata: [String: String] = [:]) {
        self.level = level
        self.message = message
        self.metadata = metadata
    }
}

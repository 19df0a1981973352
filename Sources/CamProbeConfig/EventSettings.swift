/// `events:`: the outbox every event goes through.
public struct EventSettings: Sendable, Equatable {
    /// Events kept in the outbox at most; beyond it the oldest are removed (a
    /// log line and a metric when it is near, and for every event removed
    /// before delivery).
    public var outboxLimit: Int
    /// Seconds between full snapshots of every camera's state; 0: none.
    public var snapshotInterval: Double

    public init(outboxLimit: Int = 1_000_000, snapshotInterval: Double = 0) {
        self.outboxLimit = outboxLimit
        self.snapshotInterval = snapshotInterval
    }

    /// The share of ``outboxLimit`` at which the daemon warns.
    public static let warnShare = 0.8
}

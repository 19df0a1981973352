/// `events:`: the outbox every event goes through.
public struct EventSettings: Sendable, Equatable {
    /// Events kept in the outbox at most; beyond it the oldest are removed (a
    /// log line and a metric when it is near, and for every event removed
    /// before delivery).
    public var outboxLimit: Int
    /// Seconds between full snapshots of every camera's state; 0: none.
    public var snapshotInterval: Double
    /// Seconds between heartbeats (`kz.camprobe.prober.heartbeat.v1`, to the
    /// queue only); 0: none. Default 60: the operations centre's rule "no
    /// heartbeat for 3 periods → the prober is down" then fires within 3
    /// minutes, and a year of delivered heartbeats is pruned with the outbox
    /// (525,600 small rows at most, within the default outbox limit).
    public var heartbeatInterval: Double

    public init(outboxLimit: Int = 1_000_000, snapshotInterval: Double = 0, heartbeatInterval: Double = 60) {
        self.outboxLimit = outboxLimit
        self.snapshotInterval = snapshotInterval
        self.heartbeatInterval = heartbeatInterval
    }

    /// The share of ``outboxLimit`` at which the daemon warns.
    public static let warnShare = 0.8
}

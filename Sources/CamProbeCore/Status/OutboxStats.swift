/// How full the outbox is.
public struct OutboxStats: Sendable, Equatable, Codable {
    /// Events kept (delivered or not).
    public var events: Int
    /// Deliveries waiting, per destination.
    public var pending: [String: Int]
    /// The configured limit of ``events``.
    public var limit: Int

    public init(events: Int, pending: [String: Int], limit: Int) {
        self.events = events
        self.pending = pending
        self.limit = limit
    }
}

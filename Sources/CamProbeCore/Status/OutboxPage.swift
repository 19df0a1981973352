import Foundation

/// A page of the outbox, oldest first.
public struct OutboxPage: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var seq: Int64
        public var event: CloudEvent
        public var routingKey: String
        /// Destinations still waiting for it.
        public var pending: [String]

        public init(seq: Int64, event: CloudEvent, routingKey: String, pending: [String]) {
            self.seq = seq
            self.event = event
            self.routingKey = routingKey
            self.pending = pending
        }

        private enum CodingKeys: String, CodingKey {
            case seq, event
            case routingKey = "routing_key"
            case pending
        }
    }

    public var events: [Entry]
    /// Pass as `after` to get the next page; nil when this page is the last.
    public var next: Int64?
    /// How full the outbox is (filled in by the daemon).
    public var outbox: OutboxStats?

    public init(events: [Entry], next: Int64?, outbox: OutboxStats? = nil) {
        self.events = events
        self.next = next
        self.outbox = outbox
    }
}

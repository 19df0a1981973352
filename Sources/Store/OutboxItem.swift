import CamProbeCore
import Foundation

/// An event on its way into the outbox, with the destinations that must
/// receive it (`amqp`, `webhook:<route>`). No destination: it is only kept
/// (listed by `camprobe events`, the embedded default).
public struct OutboxItem: Sendable, Equatable {
    public var event: CloudEvent
    public var routingKey: String
    public var sinks: [String]

    public init(event: CloudEvent, sinks: [String]) {
        self.event = event
        self.routingKey = RoutingKey.of(event)
        self.sinks = sinks
    }
}

/// An event waiting for one destination, as the relay reads it.
public struct PendingDelivery: Sendable, Equatable {
    public var seq: Int64
    public var sink: String
    public var id: String
    public var type: String
    public var subject: String
    public var routingKey: String
    public var time: Date
    /// The CloudEvent's JSON, exactly as stored.
    public var body: [UInt8]
    /// Failed attempts so far.
    public var attempts: Int
    public var lastError: String?
}

/// What writing events into the outbox did to it.
public struct OutboxWriteResult: Sendable, Equatable {
    /// Events kept after the write.
    public var events: Int
    /// Oldest events removed to stay within the limit, and how many of those
    /// were still waiting for a destination (lost to it).
    public var trimmed: Int = 0
    public var trimmedUndelivered: Int = 0

    public init(events: Int) {
        self.events = events
    }
}

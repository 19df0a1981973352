import Foundation

/// One message as published (persistent) or as drained by `AMQPConsumer`.
public struct AMQPMessage: Sendable, Equatable {
    public var routingKey: String
    public var body: [UInt8]
    /// AMQP `message-id`: the outbox row's id, so a consumer can drop duplicates.
    public var messageID: String
    /// AMQP `type`, e.g. the CloudEvents type.
    public var type: String
    public var contentType: String
    /// AMQP timestamps have one-second resolution.
    public var timestamp: Date
    /// Set by `AMQPConsumer` from the delivered properties (2 = persistent); ignored by
    /// `AMQPPublisher`, which always publishes persistent messages.
    public var deliveryMode: UInt8

    public init(
        routingKey: String,
        body: [UInt8],
        messageID: String,
        type: String,
        contentType: String = "application/cloudevents+json",
        timestamp: Date,
        deliveryMode: UInt8 = 2
    ) {
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.type = type
        self.contentType = contentType
        self.timestamp = timestamp
        self.deliveryMode = deliveryMode
    }
}

/// A blocking AMQP 0-9-1 publisher with publisher confirms, over librabbitmq.
///
/// Created connected: the `init` connects (TCP or TLS), logs in, opens channel 1, enables
/// confirms and declares the durable topic exchange (and the optional durable queue bound
/// with "#"). Messages are published persistent; `publish` returns once the broker has
/// confirmed them, so a confirmed message survives a broker restart when it was routed to a
/// durable queue.
///
/// Not thread-safe: use one publisher from one thread (the relay's own thread). Every call
/// blocks for at most its deadline, except the socket writes inside `publish` (see there).
/// After any connection-level error the publisher is dead: every call rethrows that error;
/// drop it and create a new one.
public final class AMQPPublisher {
    public let settings: AMQPSettings
    private let connection: AMQPConnection
    /// Delivery tags count from 1 per channel after confirm.select; this is the next one.
    private var nextDeliveryTag: UInt64 = 1

    public init(settings: AMQPSettings) throws(AMQPError) {
        self.settings = settings
        connection = try AMQPConnection(settings: settings, confirms: true)
    }

    deinit { connection.close() }

    /// The broker as `amqps://host:port/vhost` (no credentials).
    public var endpoint: String { settings.endpoint }

    /// False once closed or after a connection-level error.
    public var isOpen: Bool { connection.isOpen }

    /// Publishes `messages` in order, then waits up to `timeout` seconds (from the call) for
    /// the broker's confirms. Returns `messages.count` when every message is confirmed.
    ///
    /// Throws `.nacked`, `.confirmTimeout`, `.brokerBlocked` or a connection error; the
    /// error's `confirmed` says how many messages from the start of the batch the broker had
    /// confirmed (those are safe; publish the rest again, duplicates are possible). After
    /// `.nacked`, `.confirmTimeout` and `.brokerBlocked` the publisher stays usable.
    ///
    /// The writes have no deadline inside librabbitmq (`amqp_basic_publish` waits forever
    /// for socket space). They only block if the broker stops reading, which RabbitMQ
    /// announces with connection.blocked: this call checks for it first and throws
    /// `.brokerBlocked` instead of writing.
    @discardableResult
    public func publish(_ messages: [AMQPMessage], timeout: Double? = nil) throws(AMQPError) -> Int {
        let deadline = AMQPDeadline(seconds: timeout ?? settings.confirmTimeout)
        guard !messages.isEmpty else { return 0 }
        // Read what the broker already sent (late confirms, connection.blocked, a close or
        // the socket's end) without waiting, so a dead connection fails before writing.
        while try connection.nextEvent(until: .now) != nil {}
        if connection.isBlocked {
            throw AMQPError(.brokerBlocked, endpoint: endpoint,
                            "the broker blocked publishing: \(connection.blockedReason)")
        }

        let firstTag = nextDeliveryTag
        var tracker = ConfirmTracker(firstTag: firstTag, count: messages.count)
        for message in messages {
            do {
                try connection.publish(message)
            } catch {
                throw error.with(confirmed: tracker.confirmedPrefix)
            }
            // The broker numbers every publish on the channel, so count only successful ones.
            nextDeliveryTag += 1
        }

        while !tracker.isComplete {
            let event: AMQPConnection.Event?
            do {
                event = try connection.nextEvent(until: deadline)
            } catch {
                throw error.with(confirmed: tracker.confirmedPrefix)
            }
            switch event {
            case nil:
                throw AMQPError(
                    .confirmTimeout, endpoint: endpoint,
                    "\(tracker.confirmedPrefix) of \(messages.count) messages confirmed within \(timeout ?? settings.confirmTimeout)s",
                    confirmed: tracker.confirmedPrefix)
            case .ack(let tag, let multiple)?:
                tracker.ack(tag, multiple: multiple)
            case .nack(let tag, let multiple)?:
                guard let index = tracker.firstIndex(nackedBy: tag, multiple: multiple) else { continue }
                throw AMQPError(
                    .nacked, endpoint: endpoint,
                    "the broker refused message \(messages[index].messageID) (basic.nack)",
                    confirmed: tracker.confirmedPrefix)
            }
        }
        return messages.count
    }

    /// Waits up to `seconds` for frames while there is nothing to publish, so librabbitmq
    /// sends heartbeats and notices a dead broker. Late confirms of an earlier timed-out
    /// batch are discarded. Throws when the connection is dead (heartbeat timeout, socket
    /// closed, server close).
    public func idle(for seconds: Double) throws(AMQPError) {
        let deadline = AMQPDeadline(seconds: seconds)
        while !deadline.hasPassed {
            _ = try connection.nextEvent(until: deadline)
        }
    }

    /// Graceful channel.close and connection.close, each waiting at most `timeout` seconds.
    /// Idempotent; later calls throw `.connectionClosed`.
    public func close(timeout: Double = 2) {
        connection.close(timeout: timeout)
    }
}

@testable import AMQP

/// Drains a durable queue with basic.get (auto-ack): a small, independent reader for
/// end-to-end tests and tools, not a production consumer. Declares the same exchange, queue
/// and binding as `AMQPPublisher`, so either may connect first. Not thread-safe.
public final class AMQPConsumer {
    public let settings: AMQPSettings
    private let connection: AMQPConnection
    private let queue: String

    /// `settings.queue` must be set.
    public init(settings: AMQPSettings) throws(AMQPError) {
        guard let queue = settings.queue else {
            throw AMQPError(.invalidArgument, endpoint: settings.endpoint, "AMQPConsumer needs settings.queue")
        }
        self.settings = settings
        self.queue = queue
        connection = try AMQPConnection(settings: settings, confirms: false)
    }

    deinit { connection.close() }

    /// Removes and returns up to `limit` messages, oldest first; stops early when the queue is empty.
    public func drain(limit: Int = .max) throws(AMQPError) -> [AMQPMessage] {
        var messages: [AMQPMessage] = []
        while messages.count < limit, let message = try connection.get(queue: queue) {
            messages.append(message)
        }
        return messages
    }

    public func close(timeout: Double = 2) {
        connection.close(timeout: timeout)
    }
}

/// Why an AMQP operation failed: a stable `code` to branch on, the broker it concerns (redacted:
/// no credentials) and a one-line cause an operator understands. Never contains the password.
public struct AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The URL could not be parsed or has a scheme other than amqp/amqps or credentials.
        case invalidURL
        /// TCP connect failed: refused, unreachable, name not resolved, or connect timeout.
        case connectFailed
        /// TLS handshake, certificate or hostname verification failed, or the CA file is unusable.
        case tlsFailed
        /// The broker refused the user name or password (ACCESS_REFUSED during login).
        case authenticationFailed
        /// Logged in, but the user may not use the vhost, exchange or queue (403 / 530).
        case accessRefused
        /// The broker or librabbitmq saw an AMQP protocol violation or unexpected frame.
        case protocolError
        /// The broker closed the connection, the socket dropped, or the publisher is closed.
        case connectionClosed
        /// No heartbeat or other frame from the broker for two heartbeat intervals.
        case heartbeatTimeout
        /// The broker closed the channel (e.g. exchange.declare with other arguments, 406).
        case channelClosed
        /// A synchronous command (login, declare, close) got no answer within its deadline.
        case timeout
        /// Not every message of a batch was confirmed before the deadline.
        case confirmTimeout
        /// The broker refused (basic.nack) a message: it could not take responsibility for it.
        case nacked
        /// The broker has blocked publishing connections (memory or disk alarm); try later.
        case brokerBlocked
        /// An argument librabbitmq or AMQP cannot carry (e.g. a field over 255 bytes).
        case invalidArgument
    }

    public let code: Code
    /// The broker as `amqps://host:port/vhost`, never with credentials.
    public let endpoint: String
    /// The cause, e.g. "TLS handshake failed: certificate verify failed".
    public let reason: String
    /// The broker's reply code when the broker closed the connection or channel (403, 404, 406, 530...).
    public let replyCode: Int?
    /// For `publish`: how many messages from the start of the batch the broker confirmed
    /// before the failure. They are safe; the rest must be published again.
    public let confirmed: Int

    public init(_ code: Code, endpoint: String, _ reason: String, replyCode: Int? = nil, confirmed: Int = 0) {
        self.code = code
        self.endpoint = endpoint
        self.reason = reason
        self.replyCode = replyCode
        self.confirmed = confirmed
    }

    /// One line: `amqps://127.0.0.1:5671/: TLS handshake failed: certificate verify failed`.
    public var description: String { "\(endpoint): \(reason)" }

    func with(confirmed: Int) -> AMQPError {
        AMQPError(code, endpoint: endpoint, reason, replyCode: replyCode, confirmed: confirmed)
    }
}

import Foundation

/// Where and how an `AMQPPublisher` or `AMQPConsumer` connects. An immutable value, validated
/// once. The password comes from the secrets store, never from the URL, and no description
/// of the settings contains it.
public struct AMQPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Decoded (not percent-encoded); "/" is RabbitMQ's default virtual host.
    public var virtualHost: String
    public var user: String
    public var password: String
    public var useTLS: Bool
    /// PEM bundle of the CAs that may sign the broker's certificate. Without it the system
    /// bundle (`/etc/ssl/certs/ca-certificates.crt`) is used: librabbitmq loads no default.
    public var caFile: String?
    public var verifyPeer: Bool
    public var verifyHostname: Bool
    /// A durable topic exchange, declared on connect.
    public var exchange: String
    /// An optional durable queue declared on connect and bound to `exchange` with "#".
    public var queue: String?
    /// Seconds; 0 disables heartbeats. librabbitmq declares the connection dead after two
    /// heartbeat intervals without a frame from the broker.
    public var heartbeat: Int
    /// Seconds for the TCP connect, TLS handshake and the AMQP login, and for each
    /// synchronous setup command (channel.open, exchange.declare...).
    public var connectTimeout: Double
    /// Default seconds `publish` waits for the broker's confirms.
    public var confirmTimeout: Double

    public static let defaultPort = 5672
    public static let defaultTLSPort = 5671

    public init(
        host: String,
        port: Int? = nil,
        virtualHost: String = "/",
        user: String,
        password: String,
        useTLS: Bool = false,
        caFile: String? = nil,
        verifyPeer: Bool = true,
        verifyHostname: Bool = true,
        exchange: String,
        queue: String? = nil,
        heartbeat: Int = 30,
        connectTimeout: Double = 5,
        confirmTimeout: Double = 10
    ) {
        self.host = host
        self.port = port ?? (useTLS ? Self.defaultTLSPort : Self.defaultPort)
        self.virtualHost = virtualHost
        self.user = user
        self.password = password
        self.useTLS = useTLS
        self.caFile = caFile
        self.verifyPeer = verifyPeer
        self.verifyHostname = verifyHostname
        self.exchange = exchange
        self.queue = queue
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.confirmTimeout = confirmTimeout
    }

    /// Parses `amqp://host[:port][/vhost]` or `amqps://...`. The vhost is percent-decoded
    /// (`/%2F` is "/", as is an empty path). Credentials in the URL are rejected: they come
    /// from the secrets store, and a URL is logged and shown too often to hold a password.
    public init(
        url: String,
        user: String,
        password: String,
        exchange: String,
        queue: String? = nil,
        caFile: String? = nil
    ) throws(AMQPError) {
        let endpoint = try AMQPEndpoint(url: url)
        self.init(
            host: endpoint.host, port: endpoint.port, virtualHost: endpoint.virtualHost,
            user: user, password: password, useTLS: endpoint.useTLS, caFile: caFile,
            exchange: exchange, queue: queue
        )
    }

    /// `amqps://host:5671/vhost`: no user, no password. Names the broker in errors and logs.
    public var endpoint: String {
        AMQPEndpoint(host: host, port: port, virtualHost: virtualHost, useTLS: useTLS).description
    }

    /// The endpoint plus the user, never the password.
    public var redactedDescription: String {
        "\(endpoint) (user \(user), exchange \(exchange)\(queue.map { ", queue \($0)" } ?? ""))"
    }
}

import Foundation

/// `queue:`: the operations centre's RabbitMQ (AMQP 0-9-1). Absent: events stay
/// in the outbox (`camprobe events`, the status socket).
public struct QueueSettings: Sendable, Equatable {
    public enum Scheme: String, Sendable, Equatable {
        case amqp, amqps
    }

    /// The broker, as written (`amqps://mq.example:5671/vhost`); never holds credentials.
    public var url: String
    public var scheme: Scheme
    public var host: String
    public var port: Int
    /// The virtual host, percent-decoded (`/` by default).
    public var virtualHost: String
    /// Name of the username/password in the secrets store.
    public var credentials: String
    /// The durable topic exchange events are published to.
    public var exchange: String
    /// A durable queue to declare and bind to every event (`#`), for consumers that want one.
    public var queue: String?
    /// CA bundle the broker's certificate must chain to (amqps); default: the system's.
    public var caFile: String?
    /// Whether the certificate must name the host (amqps). Default true.
    public var verifyHostname: Bool
    /// Seconds between AMQP heartbeats (0 turns them off).
    public var heartbeat: Int
    /// Seconds to wait for the broker's confirms of a batch.
    public var confirmTimeout: Double
    /// Seconds to connect, TLS and AMQP handshake included.
    public var connectTimeout: Double
    /// Events published per batch (then confirms are awaited).
    public var batch: Int

    public init(
        url: String, scheme: Scheme, host: String, port: Int, virtualHost: String, credentials: String,
        exchange: String = "camprobe.status", queue: String? = nil, caFile: String? = nil, verifyHostname: Bool = true,
        heartbeat: Int = 30, confirmTimeout: Double = 10, connectTimeout: Double = 5, batch: Int = 200
    ) {
        self.url = url
        self.scheme = scheme
        self.host = host
        self.port = port
        self.virtualHost = virtualHost
        self.credentials = credentials
        self.exchange = exchange
        self.queue = queue
        self.caFile = caFile
        self.verifyHostname = verifyHostname
        self.heartbeat = heartbeat
        self.confirmTimeout = confirmTimeout
        self.connectTimeout = connectTimeout
        self.batch = batch
    }

    /// `amqps://host:port/vhost`: what logs and errors name.
    public var endpoint: String {
        let vhost = virtualHost == "/" ? "" : (virtualHost.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? virtualHost)
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(shownHost):\(port)/\(vhost)"
    }

    /// Parses `amqp[s]://host[:port][/vhost]`; nil with a reason when it is not one.
    public static func parse(url: String) -> Result<(Scheme, String, Int, String), QueueURLError> {
        guard let colon = url.range(of: "://") else { return .failure(QueueURLError("it is not a URL (amqp://host:port/vhost)")) }
        guard let scheme = Scheme(rawValue: url[..<colon.lowerBound].lowercased()) else {
            return .failure(QueueURLError("the scheme must be amqp or amqps (got '\(url[..<colon.lowerBound])')"))
        }
        var rest = url[colon.upperBound...]
        var vhostText = ""
        if let slash = rest.firstIndex(of: "/") {
            vhostText = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        if rest.contains("@") {
            return .failure(QueueURLError("credentials do not belong in the URL: name them with 'credentials' (secrets store)"))
        }
        var host = String(rest)
        var port = scheme == .amqps ? 5671 : 5672
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return .failure(QueueURLError("unclosed '[' in the host")) }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()), (1...65535).contains(number) else {
                    return .failure(QueueURLError("the port must be from 1 to 65535"))
                }
                port = number
            } else if !after.isEmpty {
                return .failure(QueueURLError("unexpected '\(after)' after the host"))
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let portColon = host.lastIndex(of: ":") {
            guard let number = Int(host[host.index(after: portColon)...]), (1...65535).contains(number) else {
                return .failure(QueueURLError("the port must be from 1 to 65535"))
            }
            port = number
            host = String(host[..<portColon])
        }
        guard !host.isEmpty else { return .failure(QueueURLError("it names no host")) }
        guard let vhost = vhostText.removingPercentEncoding else {
            return .failure(QueueURLError("the virtual host is not valid percent-encoding"))
        }
        return .success((scheme, host, port, vhost.isEmpty ? "/" : vhost))
    }
}

/// Why a `queue.url` is not usable.
public struct QueueURLError: Error, Sendable, Equatable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}

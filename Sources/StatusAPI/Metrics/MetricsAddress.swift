/// The TCP address metrics are served on: `HOST:PORT`, `[IPv6]:PORT`.
/// Loopback by default: the per-camera series name schools and cameras, and
/// a scraper on another machine should be given access deliberately.
public struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    public static let `default` = MetricsAddress(host: "127.0.0.1", port: 9464)

    public var host: String
    /// 0 asks the kernel for a free port (tests).
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:9464`, `localhost:9464`, `[::1]:9464`, `0.0.0.0:9464`.
    /// The host is required: listening on every interface must be asked for.
    public init(parsing text: String) throws(MetricsAddressError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw MetricsAddressError(text: text, problem: "an IPv6 address is written [ADDRESS]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw MetricsAddressError(text: text, problem: "expected HOST:PORT, e.g. 127.0.0.1:9464")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else {
                throw MetricsAddressError(text: text, problem: "an IPv6 address is written [ADDRESS]:PORT")
            }
        }
        guard !host.isEmpty else {
            throw MetricsAddressError(text: text, problem: "the host is missing (0.0.0.0 listens on every interface)")
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw MetricsAddressError(text: text, problem: "the port is not a number from 0 to 65535")
        }
        self.host = String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct MetricsAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String

    public var description: String { "metrics address '\(text)': \(problem)" }
}

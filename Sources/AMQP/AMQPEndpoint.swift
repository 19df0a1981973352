import Foundation

/// The parsed, credential-free part of an AMQP URL. Its `description` is what errors and
/// logs print for the broker.
struct AMQPEndpoint: Sendable, Equatable, CustomStringConvertible {
    var host: String
    var port: Int
    var virtualHost: String
    var useTLS: Bool

    init(host: String, port: Int, virtualHost: String, useTLS: Bool) {
        self.host = host
        self.port = port
        self.virtualHost = virtualHost
        self.useTLS = useTLS
    }

    init(url: String) throws(AMQPError) {
        func invalid(_ why: String) -> AMQPError {
            AMQPError(.invalidURL, endpoint: Self.redact(url), "invalid AMQP URL: \(why)")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw invalid("not a URL")
        }
        switch scheme {
        case "amqp": useTLS = false
        case "amqps": useTLS = true
        default: throw invalid("scheme must be amqp or amqps, not \(scheme)")
        }
        if components.user != nil || components.password != nil {
            throw invalid("credentials in the URL are not accepted; the user and password come from the secrets file")
        }
        if components.query != nil || components.fragment != nil {
            throw invalid("query and fragment are not supported")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("no host") }
        self.host = host
        if let port = components.port {
            guard (1...65535).contains(port) else { throw invalid("port \(port) out of range") }
            self.port = port
        } else {
            self.port = useTLS ? AMQPSettings.defaultTLSPort : AMQPSettings.defaultPort
        }
        // The path after the first "/" is the vhost, percent-encoded ("/%2F" means "/").
        let rawPath = components.percentEncodedPath
        let encodedVHost = rawPath.hasPrefix("/") ? String(rawPath.dropFirst()) : rawPath
        if encodedVHost.isEmpty {
            virtualHost = "/"
        } else {
            guard !encodedVHost.contains("/"), let decoded = encodedVHost.removingPercentEncoding else {
                throw invalid("the virtual host must be one path segment, percent-encoded (\"/%2F\" for \"/\")")
            }
            virtualHost = decoded
        }
    }

    var description: String {
        let scheme = useTLS ? "amqps" : "amqp"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let vhost = virtualHost == "/"
            ? "/"
            : "/" + (virtualHost.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? virtualHost)
        return "\(scheme)://\(hostPart):\(port)\(vhost)"
    }

    /// An unparsable URL is still shown in the error, minus anything that looks like userinfo.
    static func redact(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let schemeEnd = url.range(of: "://") else { return url }
        guard schemeEnd.upperBound <= at else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***@" + String(url[url.index(after: at)...])
    }
}

/// Why a webhook got no HTTP answer. `description` is one line naming the
/// redacted URL and the cause; the raw URL never appears in it.
public struct WebhookError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum TimeoutPhase: String, Sendable {
        /// No TCP connection within `connectTimeout`.
        case connect
        /// Connected, but no complete answer within `totalTimeout`.
        case total
    }

    public enum Kind: Sendable, Equatable {
        /// The host name did not resolve.
        case dns
        /// The host refused or was unreachable (nothing listens on the port, no route).
        case refused
        case timeout(TimeoutPhase)
        /// TLS failed: untrusted or expired certificate, name mismatch, unreadable CA file, handshake.
        case tls
        /// The request itself is unusable: malformed URL, a scheme other than
        /// http/https, a header with a line break. Retrying will not help.
        case invalidRequest
        /// Any other transport failure (connection reset, bad response, ...).
        case transport
    }

    public var kind: Kind
    /// The request's `redactedURL`.
    public var redactedURL: String
    /// The cause, from curl's error buffer, with the raw URL and its secret parts
    /// replaced.
    public var detail: String
    /// curl's CURLcode, for bug reports; 0 when the error did not come from curl.
    public var curlCode: Int

    public init(kind: Kind, redactedURL: String, detail: String, curlCode: Int = 0) {
        self.kind = kind
        self.redactedURL = redactedURL
        self.detail = detail
        self.curlCode = curlCode
    }

    /// A stable code for metrics and logs: `dns`, `refused`, `timeout.connect`,
    /// `timeout.total`, `tls`, `request`, `transport`.
    public var code: String {
        switch kind {
        case .dns: "dns"
        case .refused: "refused"
        case .timeout(let phase): "timeout.\(phase.rawValue)"
        case .tls: "tls"
        case .invalidRequest: "request"
        case .transport: "transport"
        }
    }

    public var description: String {
        "webhook \(redactedURL): \(code): \(detail)"
    }
}

/// One HTTP POST to deliver: what the outbox hands the transport.
///
/// `url` may carry a credential (a bot token in the path, a key in the query);
/// it is given to curl and nothing else. Every error, log line and description
/// names `redactedURL` instead.
public struct WebhookRequest: Sendable {
    /// The caller's key for this delivery (an outbox row id); copied into the result.
    public var id: String
    public var url: String
    /// Sent in this order. Without a `Content-Type` the transport sends
    /// `application/json` (curl's own default would be a form encoding).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The URL as operators may see it, e.g. `https://api.telegram.org/bot***/sendMessage`.
    public var redactedURL: String
    /// Bytes of the response body kept in ``WebhookResult/responseBodyPrefix``.
    public var responseLimit: Int
    /// When the body is longer than `responseLimit`: false reads the rest and drops it
    /// (a webhook's answer matters only for its status); true ends the transfer there
    /// and marks the result ``WebhookResult/responseTruncated`` (a SOAP answer that
    /// must be read whole, from a device that may send without end).
    public var failBeyondLimit: Bool

    /// - Parameter redactedURL: when nil, only the origin is kept
    ///   (`https://api.telegram.org/…`): user info, path and query may hold secrets.
    public init(
        id: String,
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8],
        redactedURL: String? = nil,
        responseLimit: Int = 4096,
        failBeyondLimit: Bool = false
    ) {
        self.id = id
        self.url = url
        self.headers = headers
        self.body = body
        self.redactedURL = redactedURL ?? Self.origin(of: url)
        self.responseLimit = max(0, responseLimit)
        self.failBeyondLimit = failBeyondLimit
    }

    /// `scheme://host[:port]/…` without user info, path or query.
    static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "(url)" }
        let scheme = url[..<schemeEnd.lowerBound]
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return "\(scheme)://\(authority)/…"
    }
}

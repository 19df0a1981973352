import Foundation

/// What became of one `WebhookRequest`.
public struct WebhookResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The receiver answered 2xx.
        case delivered(status: Int)
        /// The receiver answered, with a status ≥ 300. Redirects (3xx) land here
        /// too: the transport never follows them, since a webhook body and its
        /// signature must not be replayed to a host the operator did not configure.
        /// `retryAfter` is the `Retry-After` header in seconds from the response
        /// (delta-seconds or an HTTP-date), when present and valid.
        case rejected(status: Int, retryAfter: TimeInterval?)
        /// No HTTP answer: DNS, connect, TLS, timeout or another transport error.
        case failed(WebhookError)
    }

    /// The request's `id`.
    public var id: String
    public var outcome: Outcome
    /// At most the first `responseLimit` bytes (4 KiB by default) of the response
    /// body, for error logs. Receivers may echo the request, so log it only for
    /// rejected deliveries.
    public var responseBodyPrefix: [UInt8]
    /// The body was longer than the request's `responseLimit` and the request asked
    /// to fail then (`failBeyondLimit`): the transfer was cut off.
    public var responseTruncated: Bool

    public init(id: String, outcome: Outcome, responseBodyPrefix: [UInt8] = [], responseTruncated: Bool = false) {
        self.id = id
        self.outcome = outcome
        self.responseBodyPrefix = responseBodyPrefix
        self.responseTruncated = responseTruncated
    }
}

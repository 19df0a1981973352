import Foundation

/// How the transport talks HTTP. Immutable; build a new transport to change it.
public struct WebhookTransportSettings: Sendable, Equatable {
    /// TCP connect (and name resolution) limit per transfer.
    public var connectTimeout: TimeInterval
    /// Whole-transfer limit, from the moment the transfer starts, connect included.
    public var totalTimeout: TimeInterval
    /// A PEM CA bundle to trust instead of the system's (a private receiver's CA).
    public var caFile: String?
    /// Transfers in flight at once; the rest of a batch waits for a free slot.
    public var maxConcurrent: Int
    public var userAgent: String
    /// An explicit proxy (`http://host:3128`). Nil means none: `http_proxy` and
    /// friends in the daemon's environment are ignored, so delivery does not
    /// depend on how the service was started.
    public var proxy: String?

    public init(
        connectTimeout: TimeInterval = 5,
        totalTimeout: TimeInterval = 15,
        caFile: String? = nil,
        maxConcurrent: Int = 4,
        userAgent: String = "CamProbe-Webhook/1",
        proxy: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.caFile = caFile
        self.maxConcurrent = max(1, maxConcurrent)
        self.userAgent = userAgent
        self.proxy = proxy
    }
}

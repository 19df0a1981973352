import CamProbeCore

/// `webhooks:`: alert routes and how they are delivered.
public struct WebhookSettings: Sendable, Equatable {
    public var routes: [AlertRoute]
    /// CA bundle endpoints' certificates must chain to; default: the system's.
    public var caFile: String?
    public var connectTimeout: Double
    /// Seconds for one whole request.
    public var timeout: Double
    /// Requests in flight at once, over all routes.
    public var concurrency: Int
    /// An alert not delivered after this many seconds is given up (log line, metric).
    public var giveUpAfter: Double
    /// Alerts of one route written within this many seconds of each other go
    /// out together; more than ``digestThreshold`` of them as one digest message.
    public var digestWindow: Double
    public var digestThreshold: Int
    /// Seconds a camera stays down or degraded before a reminder; 0: none.
    public var reminderAfter: Double

    public init(
        routes: [AlertRoute] = [], caFile: String? = nil, connectTimeout: Double = 5, timeout: Double = 15,
        concurrency: Int = 4, giveUpAfter: Double = 86_400, digestWindow: Double = 10, digestThreshold: Int = 3,
        reminderAfter: Double = 4 * 3600
    ) {
        self.routes = routes
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.concurrency = concurrency
        self.giveUpAfter = giveUpAfter
        self.digestWindow = digestWindow
        self.digestThreshold = digestThreshold
        self.reminderAfter = reminderAfter
    }
}

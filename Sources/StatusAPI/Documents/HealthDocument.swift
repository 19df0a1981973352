import Foundation

/// The body of `GET /v1/health`: the daemon answers, and since when it runs.
public struct HealthDocument: Sendable, Codable, Equatable {
    public var status: String
    public var startedAt: Date
    public var uptimeSeconds: Double

    public init(startedAt: Date, now: Date) {
        status = "ok"
        self.startedAt = startedAt
        uptimeSeconds = (now.timeIntervalSince(startedAt) * 10).rounded() / 10
    }
}

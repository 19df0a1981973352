/// What the status socket asks the running daemon. The monitor implements it;
/// the HTTP layer only translates.
public protocol StatusSource: Sendable {
    func cameras(matching filter: CameraFilter) async throws -> [CameraStatus]
    func camera(id: String) async throws -> CameraDetail?
    func summary(by level: SummaryRow.Level, filter: CameraFilter) async throws -> [SummaryRow]
    /// Queues an immediate probe; false when no camera has that id.
    func probeNow(camera id: String) async throws -> Bool
    /// Re-reads the configuration; on failure the running one stays and the
    /// problems come back.
    func reload() async -> ReloadResult
    /// A page of the outbox's events, with how full the outbox is.
    func events(_ query: EventQuery) async throws -> OutboxPage
}

/// One camera with its last report and its history.
public struct CameraDetail: Sendable, Codable, Equatable {
    public var status: CameraStatus
    public var lastReport: ProbeReport?
    public var history: [StateTransition]

    public init(status: CameraStatus, lastReport: ProbeReport?, history: [StateTransition]) {
        self.status = status
        self.lastReport = lastReport
        self.history = history
    }
}

public struct ReloadResult: Sendable, Codable, Equatable {
    public var ok: Bool
    /// One line per problem when not ok (`path:line:column: message`).
    public var problems: [String]
    public var cameras: Int

    public init(ok: Bool, problems: [String], cameras: Int) {
        self.ok = ok
        self.problems = problems
        self.cameras = cameras
    }
}

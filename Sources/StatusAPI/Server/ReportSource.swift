import CamProbeCore

/// Where the status socket gets the inspection report and the snapshots
/// (`GET /report`, `GET /v1/report`, `GET /v1/cameras/{id}/snapshot.jpg`). The
/// daemon's wiring implements it over the store; the API only carries bytes.
public protocol ReportSource: Sendable {
    /// The report for the query parameters (`region`, `district`, `school`,
    /// `period`, `from`, `to`, `language`). A parameter the report cannot use
    /// throws a ``StatusAPIError`` (400).
    func report(_ parameters: [String: String], format: ReportDocumentFormat) async throws -> [UInt8]
    /// The camera's snapshot (the latest, or the one at its last state change);
    /// nil when there is none.
    func snapshot(camera: String, atStateChange: Bool) async throws -> [UInt8]?
}

public enum ReportDocumentFormat: String, Sendable {
    case html, json

    var contentType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        }
    }
}

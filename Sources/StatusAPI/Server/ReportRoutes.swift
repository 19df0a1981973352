import CamProbeCore
import Foundation
import Hummingbird

/// The report's routes: the HTML page, the JSON behind it, and the snapshots.
/// Snapshots of children are served here only: on the status socket, whose
/// mode and group decide who may read them.
enum ReportRoutes {
    static let parameterNames = ["region", "district", "school", "period", "from", "to", "language"]

    static let table: [(method: HTTPRequest.Method, pattern: [String])] = [
        (.get, ["report"]),
        (.get, ["v1", "report"]),
        (.get, ["v1", "cameras", "*", "snapshot.jpg"]),
    ]

    static func add(to router: Router<BasicRequestContext>, reports: any ReportSource) {
        router.get("/report") { request, _ in
            try await document(request, reports: reports, format: .html)
        }
        router.get("/v1/report") { request, _ in
            try await document(request, reports: reports, format: .json)
        }
        router.get("/v1/cameras/{id}/snapshot.jpg") { request, context in
            let query = try StatusQuery(request.uri.query, allowed: ["kind"])
            let kind = query.parameters["kind"] ?? "latest"
            guard kind == "latest" || kind == "change" else {
                throw StatusAPIError.badParameter("parameter 'kind' must be latest or change (got '\(kind.prefix(40))')")
            }
            let id = try StatusRoutes.cameraID(context)
            guard let jpeg = try await reports.snapshot(camera: id, atStateChange: kind == "change") else {
                throw StatusAPIError(.notFound, code: "snapshot_not_found", "no snapshot of camera '\(id.prefix(200))'")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "image/jpeg", .cacheControl: "private, max-age=60"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: jpeg)))
        }
    }

    private static func document(_ request: Request, reports: any ReportSource, format: ReportDocumentFormat) async throws -> Response {
        let query = try StatusQuery(request.uri.query, allowed: parameterNames)
        let body = try await reports.report(query.parameters, format: format)
        return Response(
            status: .ok,
            headers: [.contentType: format.contentType, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

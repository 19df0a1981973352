import CamProbeCore
import Foundation
import Hummingbird
import Logging

/// The routes of the status API under `/v1`, translating HTTP to a
/// ``StatusSource`` and back. See `docs/status-api.md`.
enum StatusRoutes {
    /// Every route, for telling "wrong method" (405) from "no such path" (404).
    static let table: [(method: HTTPRequest.Method, pattern: [String])] = [
        (.get, ["v1", "cameras"]),
        (.get, ["v1", "cameras", "*"]),
        (.post, ["v1", "cameras", "*", "probe"]),
        (.get, ["v1", "summary"]),
        (.post, ["v1", "reload"]),
        (.get, ["v1", "health"]),
        (.get, ["v1", "events"]),
    ] + ReportRoutes.table

    static func router(
        source: any StatusSource, reports: (any ReportSource)? = nil, startedAt: Date, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: StatusErrorMiddleware(logger: logger))
        if let reports { ReportRoutes.add(to: router, reports: reports) }

        router.get("/v1/cameras") { request, _ in
            let filter = try StatusQuery(request.uri.query, allowed: StatusQuery.filterNames).filter()
            var cameras = try await source.cameras(matching: filter)
            // In place: the monitor's board answers in this order already, and
            // sorting a sorted array takes one comparison per camera.
            cameras.sort(by: CameraStatus.listOrder)
            return try CameraListResponse.make(cameras)
        }

        router.get("/v1/cameras/{id}") { request, context in
            _ = try StatusQuery(request.uri.query, allowed: [])
            let id = try cameraID(context)
            guard let detail = try await source.camera(id: id) else { throw StatusAPIError.cameraNotFound(id) }
            return try JSONResponse.make(.ok, detail)
        }

        router.post("/v1/cameras/{id}/probe") { request, context in
            _ = try StatusQuery(request.uri.query, allowed: [])
            let id = try cameraID(context)
            guard try await source.probeNow(camera: id) else { throw StatusAPIError.cameraNotFound(id) }
            logger.info("probe requested over the status socket", metadata: ["camera": "\(id)"])
            return try JSONResponse.make(.accepted, ProbeRequested(camera: id))
        }

        router.get("/v1/summary") { request, _ in
            let query = try StatusQuery(request.uri.query, allowed: StatusQuery.filterNames + ["by"])
            let level = try query.level(default: .region)
            let rows = try await source.summary(by: level, filter: try query.filter())
            return try JSONResponse.make(.ok, SummaryDocument(by: level, rows: rows))
        }

        router.post("/v1/reload") { request, _ in
            _ = try StatusQuery(request.uri.query, allowed: [])
            let result = await source.reload()
            guard result.ok else {
                let count = result.problems.count
                logger.warning("reload refused", metadata: ["problems": "\(count)"])
                throw StatusAPIError(
                    .unprocessableContent, code: "config_invalid",
                    "the new configuration has \(count) problem\(count == 1 ? "" : "s"); the running one stays",
                    problems: result.problems)
            }
            logger.info("configuration reloaded", metadata: ["cameras": "\(result.cameras)"])
            return try JSONResponse.make(.ok, result)
        }

        router.get("/v1/events") { request, _ in
            let query = try StatusQuery(request.uri.query, allowed: StatusQuery.eventNames).events()
            let page = try await source.events(query)
            // Events keep their own JSON (CloudEvents: as on the queue), not
            // the status documents' key conventions.
            return try JSONResponse.make(.ok, page, encoder: CloudEvent.encoder())
        }

        router.get("/v1/health") { request, _ in
            _ = try StatusQuery(request.uri.query, allowed: [])
            return try JSONResponse.make(.ok, HealthDocument(startedAt: startedAt, now: Date()))
        }
        return router
    }

    /// The `{id}` segment, percent-decoded (ids are usually ASCII, but need not be).
    static func cameraID(_ context: BasicRequestContext) throws(StatusAPIError) -> String {
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, !id.isEmpty else {
            throw .badParameter("the camera id in the path is not valid percent-encoded UTF-8")
        }
        return id
    }

    /// The methods some route takes on `path`; empty when no route has that path.
    static func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/").map(String.init)
        return table.filter { route in
            route.pattern.count == segments.count
                && zip(route.pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
        }.map(\.method)
    }
}

import Hummingbird
import Logging

/// Turns every error into the API's JSON error body: ``StatusAPIError`` as it
/// is, the router's "no route" into `404 not_found` or `405
/// method_not_allowed`, anything else (a failing ``StatusSource``) into `500
/// internal`, logged here and never echoed to the client.
struct StatusErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StatusAPIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            return try notFound(request, context: context)
        } catch let error as HTTPError {
            return try StatusAPIError(error.status, code: "http", error.body ?? error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch {
            logger.error(
                "status request failed",
                metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            return try StatusAPIError.internalError().response(from: request, context: context)
        }
    }

    private func notFound(_ request: Request, context: Context) throws -> Response {
        let methods = StatusRoutes.methods(for: request.uri.path)
        guard !methods.isEmpty else {
            return try StatusAPIError(.notFound, code: "not_found", "no such endpoint: \(request.uri.path) (see docs/status-api.md)")
                .response(from: request, context: context)
        }
        let allowed = methods.map(\.rawValue).joined(separator: ", ")
        var response = try StatusAPIError(
            .methodNotAllowed, code: "method_not_allowed", "\(request.uri.path) takes \(allowed), not \(request.method)"
        ).response(from: request, context: context)
        response.headers[.allow] = allowed
        return response
    }
}

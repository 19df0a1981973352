import Hummingbird

/// An error the status API answers with: its HTTP status and the stable code and
/// one-line message of ``ErrorDocument``.
public struct StatusAPIError: Error, Sendable, Equatable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var problems: [String]?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, problems: [String]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(status, ErrorDocument(code: code, message: message, problems: problems))
    }

    static func badParameter(_ message: String) -> Self {
        Self(.badRequest, code: "bad_parameter", message)
    }

    static func cameraNotFound(_ id: String) -> Self {
        Self(.notFound, code: "camera_not_found", "no camera with id '\(id)'")
    }

    static func internalError() -> Self {
        Self(.internalServerError, code: "internal", "the daemon could not answer; see its log")
    }
}

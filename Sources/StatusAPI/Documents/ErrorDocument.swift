/// Every error body of the status API:
/// `{"error": {"code": "bad_parameter", "message": "…"}}`, with `problems` (one
/// line each) when a reload was refused.
public struct ErrorDocument: Sendable, Codable, Equatable {
    public struct Body: Sendable, Codable, Equatable {
        /// Stable, machine-readable: `bad_parameter`, `camera_not_found`, `not_found`,
        /// `method_not_allowed`, `config_invalid`, `internal`.
        public var code: String
        /// One line for an operator.
        public var message: String
        public var problems: [String]?
    }

    public var error: Body

    public init(code: String, message: String, problems: [String]? = nil) {
        error = Body(code: code, message: message, problems: problems)
    }
}

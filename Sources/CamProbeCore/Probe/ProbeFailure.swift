/// Why a probe could not show a working stream. `code` is stable (it is what
/// alerts, metrics and tests key on); `message` is one line for an operator and
/// never contains credentials.
public struct ProbeFailure: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case invalidURL = "invalid_url"
        case dns
        case refused
        case unreachable
        case timeout
        case tls
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case sessionLimit = "session_limit"
        case protocolError = "protocol"
        /// A redirect the prober does not follow: to another host or port while
        /// the URL carries credentials (they belong to the configured host), or
        /// more than `CameraLimits.redirects` of them.
        case redirect
        case noVideo = "no_video"
        case unsupportedCodec = "unsupported_codec"
        case stalled
        case undecodable
        case cancelled
    }

    public var code: Code
    /// The phase that failed; always set for `.timeout`.
    public var phase: ProbePhase?
    public var message: String

    public init(_ code: Code, phase: ProbePhase? = nil, _ message: String) {
        self.code = code
        self.phase = phase
        self.message = message
    }

    /// `timeout` carries its phase in the code operators see: `timeout.handshake`.
    public var qualifiedCode: String {
        if code == .timeout, let phase { return "timeout.\(phase.rawValue)" }
        return code.rawValue
    }

    public var description: String { "\(qualifiedCode): \(message)" }
}

/// The phases of one probe, in order. Each has its own deadline.
public enum ProbePhase: String, Sendable, Codable, CaseIterable {
    case resolve
    case connect
    case handshake
    case firstFrame = "first_frame"
    case window
    case decode
}

/// What operators are told about a camera: the policy's state once the
/// ``CameraStateMachine`` has confirmed it, or `unknown` before the first
/// confirmation.
public enum MonitorState: String, Sendable, Codable, CaseIterable {
    /// No conclusive verdict has been confirmed yet (a camera just added, or
    /// only failing so far, but fewer times than the grace period allows).
    case unknown
    /// It works and complies.
    case up
    /// It works but does not comply with its profile.
    case degraded
    /// It does not work.
    case down

    public init(_ state: CameraState) {
        switch state {
        case .up: self = .up
        case .degraded: self = .degraded
        case .down: self = .down
        }
    }

    /// The policy's state, or nil for `unknown`.
    public var cameraState: CameraState? {
        switch self {
        case .unknown: nil
        case .up: .up
        case .degraded: .degraded
        case .down: .down
        }
    }
}

import Foundation

/// A camera's state change as the ``FleetGuard`` routes it: published to
/// operators, or suppressed.
public struct CameraChange: Sendable, Equatable {
    public var camera: String
    public var from: MonitorState
    public var to: MonitorState
    public var reasons: [Reason]
    /// When the camera entered `to` (see ``CameraAction/transition(from:to:reasons:since:at:)``).
    public var since: Date
    /// When the change was confirmed (for a change published late, when it was
    /// published).
    public var at: Date

    public init(camera: String, from: MonitorState, to: MonitorState, reasons: [Reason], since: Date, at: Date) {
        self.camera = camera
        self.from = from
        self.to = to
        self.reasons = reasons
        self.since = since
        self.at = at
    }
}

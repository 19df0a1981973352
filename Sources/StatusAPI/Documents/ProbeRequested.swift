/// The body of `202 Accepted` from `POST /v1/cameras/{id}/probe`: the probe is
/// queued; its result shows in the camera's status once it has run.
public struct ProbeRequested: Sendable, Codable, Equatable {
    public var camera: String
    public var queued: Bool

    public init(camera: String) {
        self.camera = camera
        self.queued = true
    }
}

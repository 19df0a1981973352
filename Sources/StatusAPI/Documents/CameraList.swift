import CamProbeCore

/// The body of `GET /v1/cameras`: the cameras matching the filters, sorted by
/// region, district, school and id.
public struct CameraList: Sendable, Codable, Equatable {
    public var count: Int
    public var cameras: [CameraStatus]

    public init(cameras: [CameraStatus]) {
        self.count = cameras.count
        self.cameras = cameras
    }
}

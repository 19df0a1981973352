import CamProbeCore
import Foundation

/// One camera's row as the store holds it: what the daemon restores on
/// startup. Times are kept to the millisecond.
public struct StoredCameraState: Sendable, Equatable {
    public var camera: String
    public var state: MonitorState
    public var since: Date?
    public var reasons: [StatusReasonText]
    public var affectedBy: String?
    public var flapping: Bool
    public var lastProbe: Date?
    public var lastReport: ProbeReport?
    public var lastSignature: PictureSignature?

    public init(
        camera: String, state: MonitorState, since: Date?, reasons: [StatusReasonText] = [],
        affectedBy: String? = nil, flapping: Bool = false, lastProbe: Date? = nil,
        lastReport: ProbeReport? = nil, lastSignature: PictureSignature? = nil
    ) {
        self.camera = camera
        self.state = state
        self.since = since
        self.reasons = reasons
        self.affectedBy = affectedBy
        self.flapping = flapping
        self.lastProbe = lastProbe
        self.lastReport = lastReport
        self.lastSignature = lastSignature
    }
}

extension StoredCameraState {
    /// `status` (built from the inventory: names, host, kind) with this stored
    /// row's state laid over it: state, since, reasons, affected-by, flapping,
    /// last probe time, and what the last report measured (codec, size, rate;
    /// none when that probe failed).
    /// What the daemon publishes right after a restart, before any new probe.
    public func applied(to status: CameraStatus) -> CameraStatus {
        var status = status
        status.state = state
        status.since = since
        status.reasons = reasons
        status.affectedBy = affectedBy
        status.flapping = flapping
        status.lastProbe = lastProbe
        if let lastReport {
            // As after that probe: nothing measured when it failed.
            status.codec = lastReport.video?.codec
            status.width = lastReport.video?.width
            status.height = lastReport.video?.height
            status.frameRate = lastReport.video?.timing.frameRate
        }
        return status
    }
}

import Foundation

/// One probe as the ``FleetGuard`` sees it: which camera, which host and school
/// it shares with others, and whether it failed.
public struct ProbeOutcome: Sendable, Equatable {
    public var camera: String
    /// The device the camera is reached through (see ``hostKey(for:)``).
    public var host: String
    /// The site (see ``schoolKey(for:)``).
    public var school: String
    /// The code of the failure that made the verdict `down`; nil when the camera
    /// answered (`up`, or `degraded`: non-compliance is not a failure here).
    public var failure: ReasonCode?
    /// When the probe ran.
    public var at: Date
    /// The verdict's reasons: what a change published late says (see
    /// ``FleetGuard``); may be empty.
    public var reasons: [Reason]

    public init(camera: String, host: String, school: String, failure: ReasonCode?, at: Date, reasons: [Reason] = []) {
        self.camera = camera
        self.host = host
        self.school = school
        self.failure = failure
        self.at = at
        self.reasons = reasons
    }

    /// The outcome of `verdict`; nil when the verdict is not conclusive (the
    /// probe says nothing about the camera, so the guard must not hear of it).
    public init?(camera: String, host: String, school: String, verdict: Verdict, at: Date) {
        guard verdict.isConclusive else { return nil }
        let failure: ReasonCode? =
            verdict.state == .down ? (verdict.reasons.first { $0.severity == .failure }?.code ?? .probeProtocol) : nil
        self.init(camera: camera, host: host, school: school, failure: failure, at: at, reasons: verdict.reasons)
    }

    /// The outcome of `verdict` for an inventory camera.
    public init?(camera: Camera, verdict: Verdict, at: Date) {
        self.init(
            camera: camera.id, host: Self.hostKey(for: camera), school: Self.schoolKey(for: camera),
            verdict: verdict, at: at)
    }

    public var isFailure: Bool { failure != nil }

    /// The device whose failure would take the camera with it, lowercased: the
    /// recorder's host behind a DVR/NVR, else the main stream's host without its
    /// port (a school router forwarding one port per camera is one device that
    /// can fail for all of them); `camera:<id>` for an address that does not parse.
    public static func hostKey(for camera: Camera) -> String {
        if let recorder = camera.recorder { return recorder.host.lowercased() }
        guard let url = try? StreamURL(parsing: camera.mainStream), !url.host.isEmpty else { return "camera:" + camera.id }
        return url.host.lowercased()
    }

    /// The school's BIN when the inventory has it, else region / district / name
    /// (school names such as "№ 12" repeat across districts).
    public static func schoolKey(for camera: Camera) -> String {
        if let bin = camera.school.bin, !bin.isEmpty { return bin }
        return camera.region + " / " + camera.district + " / " + camera.school.name
    }
}

import CamProbeCore

/// Hooks the daemon's wiring gives the monitor (metrics, systemd status), so
/// the monitor depends on no exporter. Called on the monitor's actor: keep
/// them quick.
public struct MonitorEvents: Sendable {
    public var probeFinished: @Sendable (_ camera: Camera, _ report: ProbeReport, _ verdict: Verdict) -> Void
    public var stateChanged: @Sendable (_ statuses: [String: CameraStatus]) -> Void

    public init(
        probeFinished: @escaping @Sendable (Camera, ProbeReport, Verdict) -> Void = { _, _, _ in },
        stateChanged: @escaping @Sendable ([String: CameraStatus]) -> Void = { _ in }
    ) {
        self.probeFinished = probeFinished
        self.stateChanged = stateChanged
    }
}

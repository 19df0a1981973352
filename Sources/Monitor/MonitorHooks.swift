import CamProbeCore
import Store

/// Hooks the daemon's wiring gives the monitor (metrics, systemd status), so
/// the monitor depends on no exporter. Called on the monitor's actor: keep
/// them quick.
public struct MonitorHooks: Sendable {
    /// After every probe, with the camera's report and verdict.
    public var probeFinished: @Sendable (_ camera: Camera, _ report: ProbeReport, _ verdict: Verdict) -> Void
    /// After every probe, with the camera's status as now published.
    public var statusUpdated: @Sendable (_ status: CameraStatus) -> Void
    /// At start and after a reload, with the ids of the cameras now watched.
    public var inventoryChanged: @Sendable (_ cameras: Set<String>) -> Void
    /// After events were committed to the outbox (wake the relays).
    public var outboxWritten: @Sendable (_ result: OutboxWriteResult) -> Void
    /// When the schedule started or stopped counting as behind (``ScheduleLagWatch``).
    public var scheduleBehind: @Sendable (_ behind: Bool) -> Void
    /// After each transaction committed to the store.
    public var committed: @Sendable () -> Void

    public init(
        probeFinished: @escaping @Sendable (Camera, ProbeReport, Verdict) -> Void = { _, _, _ in },
        statusUpdated: @escaping @Sendable (CameraStatus) -> Void = { _ in },
        inventoryChanged: @escaping @Sendable (Set<String>) -> Void = { _ in },
        outboxWritten: @escaping @Sendable (OutboxWriteResult) -> Void = { _ in },
        scheduleBehind: @escaping @Sendable (Bool) -> Void = { _ in },
        committed: @escaping @Sendable () -> Void = {}
    ) {
        self.committed = committed
        self.scheduleBehind = scheduleBehind
        self.outboxWritten = outboxWritten
        self.probeFinished = probeFinished
        self.statusUpdated = statusUpdated
        self.inventoryChanged = inventoryChanged
    }
}

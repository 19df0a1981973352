import CamProbeCore

/// What an open session needs of the probe that opened it, handed over once:
/// the session owns it and never reaches back into the probe.
struct SessionContext {
    /// The probe's deadline and cancellation, enforced at the lowest layer.
    let interrupt: InterruptState
    let options: ProbeOptions
    /// The worker's buffers the window fills.
    let workspace: ProbeWorkspace
    /// A network stream (not a file): arrival times mean something, reads may wait.
    let isLive: Bool
    /// Whether the window keeps its two latest keyframes (see `StreamProbe.keepsTwoKeyframes`).
    let keepsTwoKeyframes: Bool
}

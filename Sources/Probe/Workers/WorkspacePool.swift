import Synchronization

/// The workspaces of a prober's workers, lent for one probe at a time. A
/// region's prober has a worker per probe it may run at once (262 for 17,432
/// cameras), but on average fewer run (120–170 in the region benchmark), and
/// each workspace holds about half a megabyte once it has met 1080p keyframes.
/// Lent last-in first-out and made only when none is free, the pool holds as
/// many workspaces as probes ever ran at once, and the ones lent are those
/// used most recently, whose buffers are warm.
final class WorkspacePool: Sendable {
    private struct State {
        var free: [ProbeWorkspace] = []
        var made = 0
    }

    private let decoders: DecoderPool
    private let state = Mutex(State())

    init(decoders: DecoderPool) {
        self.decoders = decoders
    }

    /// A workspace for one probe: the one given back last, or a new one.
    func take() -> ProbeWorkspace {
        let reused = state.withLock { state -> ProbeWorkspace? in
            if let workspace = state.free.popLast() { return workspace }
            state.made += 1
            return nil
        }
        return reused ?? ProbeWorkspace(decoders: decoders)
    }

    /// Gives back a workspace after its probe (emptied by the probe itself).
    func give(_ workspace: ProbeWorkspace) {
        state.withLock { $0.free.append(workspace) }
    }

    var made: Int { state.withLock { $0.made } }
}

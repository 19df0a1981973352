/// What a probe borrows and the next probe reuses: the buffers a window
/// fills (decoders are shared, see `DecoderPool`). Reusing them is most of what makes a probe cheap:
/// no decoder setup, no fresh megabyte-sized allocations (and the page faults
/// that come with them) per probe. Used by one thread at a time: a worker
/// takes it from the `WorkspacePool` for one probe and gives it back after,
/// both under the pool's lock (hence `@unchecked Sendable`).
final class ProbeWorkspace: @unchecked Sendable {
    let decoders: DecoderPool
    /// The access unit being assembled.
    var unit: [UInt8] = []
    /// The window's two most recent complete keyframes. The latest is the one
    /// decoded: it shows the picture as it is now, and it is usually smaller than
    /// the first keyframe of a session, which encoders make at high quality.
    var latestKeyframe: [UInt8] = []
    var previousKeyframe: [UInt8] = []
    /// Picture-data bytes (slices only) of `latestKeyframe`.
    var latestKeyframePictureBytes = 0
    /// The native RTSP client's receive buffer: two of the reader's batches
    /// (`BatchPause.batchBytes`, 64 KiB) and room for the largest interleaved
    /// frame (64 KiB + 4). 128 KiB: one per worker, so at a region's 262
    /// workers every KiB here is a quarter of a megabyte of the daemon's memory
    /// (it was 256 KiB).
    static let receiveBufferBytes = 128 * 1024
    let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ProbeWorkspace.receiveBufferBytes, alignment: 16)

    /// What each buffer reserves at first, and the most it keeps between
    /// probes: a 4K keyframe is well under 2 MiB, so a buffer larger than that
    /// was grown by an unusual (or hostile) camera and is given back.
    static let initialCapacity = 64 * 1024
    static let keptCapacity = 2 * 1024 * 1024

    private static let buffers = [\ProbeWorkspace.unit, \.latestKeyframe, \.previousKeyframe]

    /// The buffers start small and grow to the keyframes the worker meets.
    init(decoders: DecoderPool) {
        self.decoders = decoders
        for keyPath in Self.buffers {
            self[keyPath: keyPath].reserveCapacity(Self.initialCapacity)
        }
    }

    /// Bytes the buffers hold on to.
    var footprint: Int { Self.buffers.reduce(0) { $0 + self[keyPath: $1].capacity } }

    /// After a probe: buffers grown beyond `keptCapacity` are replaced by
    /// fresh small ones and the freed memory goes back to the kernel, so one
    /// camera's 8 MiB access unit does not stay with the worker for good.
    func shrinkAfterProbe() {
        let grown = Self.buffers.filter { self[keyPath: $0].capacity > Self.keptCapacity }
        guard !grown.isEmpty else { return }
        MemoryTuning.returningFreedMemory {
            for keyPath in grown { self[keyPath: keyPath] = [] }
        }
        for keyPath in grown { self[keyPath: keyPath].reserveCapacity(Self.initialCapacity) }
    }

    deinit { receiveBuffer.deallocate() }

    /// Empties the buffers, keeping their storage.
    func reset() {
        unit.removeAll(keepingCapacity: true)
        latestKeyframe.removeAll(keepingCapacity: true)
        previousKeyframe.removeAll(keepingCapacity: true)
        latestKeyframePictureBytes = 0
    }

    /// The unit just assembled becomes the latest keyframe, and the latest the
    /// previous one when two are wanted; buffers are swapped, not copied.
    /// `pictureBytes`: the unit's picture data (slices only).
    func keepUnitAsKeyframe(keepPrevious: Bool, pictureBytes: Int) {
        if keepPrevious { swap(&previousKeyframe, &latestKeyframe) }
        swap(&latestKeyframe, &unit)
        latestKeyframePictureBytes = pictureBytes
        unit.removeAll(keepingCapacity: true)
    }
}

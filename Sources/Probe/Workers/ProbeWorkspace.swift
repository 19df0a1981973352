/// What a probe borrows and the next probe reuses: the buffers a window
/// fills (decoders are shared, see `DecoderPool`). Reusing them is most of what makes a probe cheap:
/// no decoder setup, no fresh megabyte-sized allocations (and the page faults
/// that come with them) per probe. Used by one thread at a time: a worker
/// takes it from the `WorkspacePool` for one probe and gives it back after,
/// both under the pool's lock (hence `@unchecked Sendable`).
final class ProbeWorkspace: @unchecked Sendable {
    let decoders: DecoderPool
    /// The leading bytes of the access unit being assembled (parameter sets,
    /// SEI), until its first slice says whether it is a keyframe: small.
    var unitPrefix: [UInt8] = []
    /// The window's latest complete keyframe: the one decoded. It shows the
    /// picture as it is now, and it is usually smaller than the first keyframe
    /// of a session, which encoders make at high quality.
    var latestKeyframe: [UInt8] = []
    /// The keyframe before it, when two are kept (``hasPreviousKeyframe``); and
    /// where the next keyframe is assembled, since that one replaces it. A
    /// window so holds two keyframe-sized buffers, not three: at a region's
    /// ~170 probes at once, one 1080p keyframe (~100 KiB) less each.
    var previousKeyframe: [UInt8] = []
    /// Whether `previousKeyframe` holds a complete keyframe (not one being assembled).
    var hasPreviousKeyframe: Bool { !assemblingKeyframe && !previousKeyframe.isEmpty }
    /// Whether the unit being assembled is a keyframe, going into `previousKeyframe`.
    private(set) var assemblingKeyframe = false
    /// Picture-data bytes (slices only) of `latestKeyframe`.
    var latestKeyframePictureBytes = 0
    /// The native RTSP client's receive buffer: two of the reader's batches
    /// (`BatchPause.batchBytes`, 64 KiB) and room for the largest interleaved
    /// frame (64 KiB + 4). 128 KiB: one per workspace, so at a region's ~170
    /// probes at once every KiB here is ~170 KiB of the daemon's memory (it was
    /// 256 KiB).
    static let receiveBufferBytes = 128 * 1024
    let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ProbeWorkspace.receiveBufferBytes, alignment: 16)

    /// What each buffer reserves at first, and the most it keeps between
    /// probes: a 4K keyframe is well under 2 MiB, so a buffer larger than that
    /// was grown by an unusual (or hostile) camera and is given back.
    static let initialCapacity = 64 * 1024
    static let keptCapacity = 2 * 1024 * 1024
    /// What the unit prefix reserves at first: parameter sets and SEI.
    static let prefixCapacity = 4 * 1024

    /// Each buffer and what it reserves at first.
    private static let buffers: [(buffer: any ReferenceWritableKeyPath<ProbeWorkspace, [UInt8]> & Sendable, initial: Int)] = [
        (\.unitPrefix, prefixCapacity), (\.latestKeyframe, initialCapacity), (\.previousKeyframe, initialCapacity),
    ]

    /// The buffers start small and grow to the keyframes the worker meets.
    init(decoders: DecoderPool) {
        self.decoders = decoders
        for (buffer, initial) in Self.buffers { self[keyPath: buffer].reserveCapacity(initial) }
    }

    /// Bytes the buffers hold on to.
    var footprint: Int { Self.buffers.reduce(0) { $0 + self[keyPath: $1.buffer].capacity } }

    /// After a probe: buffers grown beyond `keptCapacity` are replaced by
    /// fresh small ones and the freed memory goes back to the kernel, so one
    /// camera's 8 MiB access unit does not stay with the worker for good.
    func shrinkAfterProbe() {
        let grown = Self.buffers.filter { self[keyPath: $0.buffer].capacity > Self.keptCapacity }
        guard !grown.isEmpty else { return }
        MemoryTuning.returningFreedMemory {
            for (buffer, _) in grown { self[keyPath: buffer] = [] }
        }
        for (buffer, initial) in grown { self[keyPath: buffer].reserveCapacity(initial) }
    }

    deinit { receiveBuffer.deallocate() }

    /// Empties the buffers, keeping their storage.
    func reset() {
        unitPrefix.removeAll(keepingCapacity: true)
        latestKeyframe.removeAll(keepingCapacity: true)
        previousKeyframe.removeAll(keepingCapacity: true)
        assemblingKeyframe = false
        latestKeyframePictureBytes = 0
    }

    /// The unit being assembled is a keyframe: its prefix moves to the front of
    /// `previousKeyframe`, which it replaces (the previous keyframe is gone
    /// until this one completes, and stays gone if it never does).
    func beginKeyframe() {
        previousKeyframe.removeAll(keepingCapacity: true)
        previousKeyframe.append(contentsOf: unitPrefix)
        unitPrefix.removeAll(keepingCapacity: true)
        assemblingKeyframe = true
    }

    /// One packet of the unit being assembled.
    func appendToUnit(_ packet: UnsafeBufferPointer<UInt8>) {
        if assemblingKeyframe {
            previousKeyframe.append(contentsOf: packet)
        } else {
            unitPrefix.append(contentsOf: packet)
        }
    }

    /// Forgets the unit being assembled: not a keyframe, or not one to keep.
    func dropUnit() {
        unitPrefix.removeAll(keepingCapacity: true)
        if assemblingKeyframe {
            previousKeyframe.removeAll(keepingCapacity: true)
            assemblingKeyframe = false
        }
    }

    /// The keyframe just assembled becomes the latest, and the latest the
    /// previous one when two are wanted; buffers are swapped, not copied.
    /// `pictureBytes`: the keyframe's picture data (slices only).
    func keepAssembledKeyframe(keepPrevious: Bool, pictureBytes: Int) {
        swap(&previousKeyframe, &latestKeyframe)
        if !keepPrevious { previousKeyframe.removeAll(keepingCapacity: true) }
        assemblingKeyframe = false
        latestKeyframePictureBytes = pictureBytes
    }
}

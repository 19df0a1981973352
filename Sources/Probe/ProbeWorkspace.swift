/// What one worker thread keeps from probe to probe: the buffers a window
/// fills (decoders are shared, see `DecoderPool`). Reusing them is most of what makes a probe cheap:
/// no decoder setup, no fresh megabyte-sized allocations (and the page faults
/// that come with them) per probe. Owned by one thread; never shared.
final class ProbeWorkspace {
    let decoders: DecoderPool
    /// The access unit being assembled.
    var unit: [UInt8] = []
    /// The window's two most recent complete keyframes. The latest is the one
    /// decoded: it shows the picture as it is now, and it is usually smaller than
    /// the first keyframe of a session, which encoders make at high quality.
    var latestKeyframe: [UInt8] = []
    var previousKeyframe: [UInt8] = []
    /// The native RTSP client's receive buffer: room for a few 0.1 s batches of
    /// a high-bitrate stream, and for the largest interleaved frame.
    let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

    /// The buffers start small and grow to the keyframes the worker meets.
    init(decoders: DecoderPool) {
        self.decoders = decoders
        for keyPath in [\ProbeWorkspace.unit, \.latestKeyframe, \.previousKeyframe] {
            self[keyPath: keyPath].reserveCapacity(64 * 1024)
        }
    }

    deinit { receiveBuffer.deallocate() }

    /// Empties the buffers, keeping their storage.
    func reset() {
        unit.removeAll(keepingCapacity: true)
        latestKeyframe.removeAll(keepingCapacity: true)
        previousKeyframe.removeAll(keepingCapacity: true)
    }

    /// The unit just assembled becomes the latest keyframe, and the latest the
    /// previous one when two are wanted; buffers are swapped, not copied.
    func keepUnitAsKeyframe(keepPrevious: Bool) {
        if keepPrevious { swap(&previousKeyframe, &latestKeyframe) }
        swap(&latestKeyframe, &unit)
        unit.removeAll(keepingCapacity: true)
    }
}

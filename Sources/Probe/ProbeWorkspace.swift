/// What one worker thread keeps from probe to probe: its decoders and the
/// buffers a window fills. Reusing them is most of what makes a probe cheap:
/// no decoder setup, no fresh megabyte-sized allocations (and the page faults
/// that come with them) per probe. Owned by one thread; never shared.
final class ProbeWorkspace {
    let decoders = DecoderCache()
    /// The access unit being assembled.
    var unit: [UInt8] = []
    /// The window's first and latest complete keyframes.
    var firstKeyframe: [UInt8] = []
    var lastKeyframe: [UInt8] = []

    init() {
        for keyPath in [\ProbeWorkspace.unit, \.firstKeyframe, \.lastKeyframe] {
            self[keyPath: keyPath].reserveCapacity(512 * 1024)
        }
    }

    /// Empties the buffers, keeping their storage.
    func reset() {
        unit.removeAll(keepingCapacity: true)
        firstKeyframe.removeAll(keepingCapacity: true)
        lastKeyframe.removeAll(keepingCapacity: true)
    }

    /// The unit just assembled becomes the first (or else the latest) keyframe;
    /// buffers are swapped, not copied.
    func keepUnitAsKeyframe(keepLatest: Bool) {
        if firstKeyframe.isEmpty {
            swap(&firstKeyframe, &unit)
        } else if keepLatest {
            swap(&lastKeyframe, &unit)
        }
        unit.removeAll(keepingCapacity: true)
    }
}

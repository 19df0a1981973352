/// Accumulates the video frames seen during the sampling window and derives
/// their timing. Fed one access unit at a time (all packets of one frame share
/// a timestamp); holds only a few numbers per frame.
public struct StreamTimeline: Sendable {
    private var framePTS: [Double] = []
    private var keyframePTS: [Double] = []
    private var keyframeIndices: [Int] = []
    private var bytes: Int = 0
    /// Picture-data bytes of each non-key frame (see ``addFrame(pts:bytes:keyframe:pictureBytes:)``).
    private var deltaFramePictureBytes: [Int] = []
    /// Picture-data bytes of every frame, key frames as `nil`, in arrival order.
    private var framePictureBytes: [Int?] = []

    /// The length of the quiet run ``StreamTiming/quietFrameBytes`` looks for: half a second.
    public static let quietRunSeconds = 0.5
    /// A quiet run has at least this many frames, however low the frame rate.
    public static let quietRunMinimumFrames = 4

    public init() {
        framePTS.reserveCapacity(256)
    }

    public var frameCount: Int { framePTS.count }
    public var firstPTS: Double? { framePTS.first }
    public var lastPTS: Double? { framePTS.last }
    public var span: Double {
        guard let first = framePTS.first, let last = framePTS.last else { return 0 }
        return last - first
    }

    /// Adds one frame: its presentation time in seconds, its size in bytes, whether it
    /// is a keyframe, and how many of its bytes are picture data (slices, without
    /// parameter sets, SEI or filler; `nil` counts all of `size`).
    public mutating func addFrame(pts: Double, bytes size: Int, keyframe: Bool, pictureBytes: Int? = nil) {
        if keyframe {
            keyframePTS.append(pts)
            keyframeIndices.append(framePTS.count)
        } else {
            deltaFramePictureBytes.append(pictureBytes ?? size)
        }
        framePictureBytes.append(keyframe ? nil : pictureBytes ?? size)
        framePTS.append(pts)
        bytes &+= size
    }

    /// Adds bytes that belong to the frame added last (another slice or NAL unit).
    public mutating func addBytesToLastFrame(_ size: Int) {
        bytes += size
    }

    /// Median interval between consecutive frames (seconds), ignoring
    /// non-increasing timestamps (reordered or duplicated).
    public var medianFrameInterval: Double? {
        Self.median(Self.positiveDeltas(framePTS))
    }

    public func summary() -> StreamTiming {
        var timing = StreamTiming()
        timing.frames = framePTS.count
        timing.span = span
        timing.keyframes = keyframePTS.count
        let deltas = Self.positiveDeltas(framePTS)
        if let median = Self.median(deltas), median > 0 {
            timing.frameRate = 1 / median
            timing.gaps = deltas.filter { $0 > 3 * median }.count
            timing.longestGap = deltas.max()
        }
        // Bytes of the last frame arrive after the span closes; counting them
        // over span + one interval keeps the rate exact for a constant stream.
        if let median = Self.median(deltas), framePTS.count > 1 {
            timing.bitrate = Double(bytes * 8) / (span + median)
        }
        if !deltaFramePictureBytes.isEmpty {
            timing.deltaFrames = deltaFramePictureBytes.count
            timing.deltaFrameBytes = Self.median(deltaFramePictureBytes.map(Double.init)).map { Int($0.rounded()) }
            if let rate = timing.frameRate {
                let run = max(Self.quietRunMinimumFrames, Int((Self.quietRunSeconds * rate).rounded()))
                timing.quietFrameBytes = Self.quietest(framePictureBytes, run: run)
            }
        }
        if keyframePTS.count >= 2 {
            timing.keyframeInterval = Self.median(Self.positiveDeltas(keyframePTS))
            let frameDeltas = zip(keyframeIndices.dropFirst(), keyframeIndices).map { Double($0 - $1) }
            timing.keyframeIntervalFrames = Self.median(frameDeltas).map { Int($0.rounded()) }
        }
        return timing
    }

    /// The smallest, over every `run` consecutive non-key frames (a keyframe breaks a
    /// run), of the largest frame in them; `nil` when no run is that long.
    static func quietest(_ frames: [Int?], run: Int) -> Int? {
        var quietest: Int?
        var current: [Int] = []
        for frame in frames {
            guard let bytes = frame else {
                current.removeAll(keepingCapacity: true)
                continue
            }
            current.append(bytes)
            if current.count >= run, let loudest = current.suffix(run).max() {
                quietest = min(quietest ?? loudest, loudest)
            }
        }
        return quietest
    }

    static func positiveDeltas(_ values: [Double]) -> [Double] {
        guard values.count > 1 else { return [] }
        var deltas: [Double] = []
        deltas.reserveCapacity(values.count - 1)
        for i in 1..<values.count {
            let d = values[i] - values[i - 1]
            if d > 0 { deltas.append(d) }
        }
        return deltas
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}

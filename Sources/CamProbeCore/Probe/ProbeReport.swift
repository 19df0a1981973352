import Foundation

/// Everything one probe measured about one stream. A plain value: the prober
/// returns it, the policy judges it, the store keeps it.
public struct ProbeReport: Sendable, Codable, Equatable {
    /// The stream, with credentials redacted.
    public var target: String
    public var startedAt: Date
    /// Wall time the probe took, seconds.
    public var duration: Double
    /// Set when the probe could not measure a working stream.
    public var failure: ProbeFailure?
    /// `tcp`, `udp`, `http`, `file`…: how the media arrived.
    public var transport: String?
    public var timings: PhaseTimings
    public var video: VideoMeasurement?
    /// Whether the stream offers audio (from the session description).
    public var audioPresent: Bool?
    public var picture: PictureReport?
    /// Camera clock minus our clock, seconds, from RTCP sender reports. Nil when
    /// the camera sent none within the probe.
    public var clockSkew: Double?
    /// The picture as a small JPEG, when ``ProbeOptions/snapshot`` asked for one
    /// and a keyframe was decoded. Never encoded: reports stored, printed and
    /// published carry no picture.
    public var snapshot: Snapshot?

    private enum CodingKeys: String, CodingKey {
        case target, startedAt, duration, failure, transport, timings, video, audioPresent, picture, clockSkew
    }

    public init(
        target: String,
        startedAt: Date,
        duration: Double = 0,
        failure: ProbeFailure? = nil,
        transport: String? = nil,
        timings: PhaseTimings = PhaseTimings(),
        video: VideoMeasurement? = nil,
        audioPresent: Bool? = nil,
        picture: PictureReport? = nil,
        clockSkew: Double? = nil
    ) {
        self.target = target
        self.startedAt = startedAt
        self.duration = duration
        self.failure = failure
        self.transport = transport
        self.timings = timings
        self.video = video
        self.audioPresent = audioPresent
        self.picture = picture
        self.clockSkew = clockSkew
    }
}

/// Seconds from the start of the probe to the end of each phase.
public struct PhaseTimings: Sendable, Codable, Equatable {
    public var resolved: Double?
    public var connected: Double?
    /// The stream was set up and playing (RTSP PLAY answered, HTTP headers read).
    public var playing: Double?
    public var firstFrame: Double?
    public var firstKeyframe: Double?

    public init(
        resolved: Double? = nil, connected: Double? = nil, playing: Double? = nil,
        firstFrame: Double? = nil, firstKeyframe: Double? = nil
    ) {
        self.resolved = resolved
        self.connected = connected
        self.playing = playing
        self.firstFrame = firstFrame
        self.firstKeyframe = firstKeyframe
    }
}

/// What the camera's video stream really is.
public struct VideoMeasurement: Sendable, Codable, Equatable {
    public enum ResolutionSource: String, Sendable, Codable {
        /// Parsed from the H.264/H.265 sequence parameter set, without decoding.
        case sps
        /// Read off a decoded picture.
        case decoded
        /// Declared by the container or session description.
        case container
    }

    /// FFmpeg's codec name: `h264`, `hevc`, `mjpeg`…
    public var codec: String
    public var profile: Int?
    public var width: Int?
    public var height: Int?
    public var resolutionSource: ResolutionSource?
    /// Frame rate the stream declares (H.264/H.265 VUI timing), if it does.
    public var declaredFrameRate: Double?
    public var timing: StreamTiming

    /// ``StreamTiming/quietFrameBytes`` per megapixel of this stream's pictures, or `nil`
    /// without a run of non-key frames long enough or a known size.
    public var quietFrameBytesPerMegapixel: Double? {
        guard let bytes = timing.quietFrameBytes, let width, let height, width > 0, height > 0 else { return nil }
        return Double(bytes) / (Double(width) * Double(height) / 1_000_000)
    }

    public init(
        codec: String, profile: Int? = nil, width: Int? = nil, height: Int? = nil,
        resolutionSource: ResolutionSource? = nil, declaredFrameRate: Double? = nil,
        timing: StreamTiming = StreamTiming()
    ) {
        self.codec = codec
        self.profile = profile
        self.width = width
        self.height = height
        self.resolutionSource = resolutionSource
        self.declaredFrameRate = declaredFrameRate
        self.timing = timing
    }
}

/// Frame timing measured over the sampling window, from presentation timestamps.
public struct StreamTiming: Sendable, Codable, Equatable {
    /// Distinct frames seen.
    public var frames: Int = 0
    /// Seconds of stream time covered (last frame pts − first frame pts).
    public var span: Double = 0
    /// Frames per second from the median interval between frames.
    public var frameRate: Double?
    /// Intervals longer than 3× the median.
    public var gaps: Int = 0
    /// The longest interval between frames, seconds.
    public var longestGap: Double?
    /// Video payload bits per second over the span.
    public var bitrate: Double?
    public var keyframes: Int = 0
    /// Median seconds between keyframes, when at least two were seen.
    public var keyframeInterval: Double?
    /// Median frames between keyframes.
    public var keyframeIntervalFrames: Int?
    /// Non-key frames seen.
    public var deltaFrames: Int?
    /// Median picture-data bytes (slices only) of the non-key frames.
    public var deltaFrameBytes: Int?
    /// The quietest half second of non-key frames: over every run of consecutive non-key
    /// frames lasting ~0.5 s (``StreamTimeline/quietRunSeconds``, at least 4 frames), the
    /// largest frame's picture-data bytes, and the smallest such value. An encoder fed the
    /// same frame again and again settles to skipped frames of a few dozen bytes once it
    /// has refined the picture after a keyframe; a live scene, even a still one, never goes
    /// quiet for half a second (its sensor noise costs thousands of bytes per frame), even
    /// when the camera repeats frames (a slow shutter at night sends one new frame in 2–4).
    /// `nil` when the window held no such run.
    public var quietFrameBytes: Int?

    public init() {}
}

/// What the decoded picture shows.
public struct PictureReport: Sendable, Codable, Equatable {
    public var statistics: PictureStatistics
    public var flags: [PictureFlag]
    /// Keyframes decoded to judge the picture.
    public var decodedKeyframes: Int
    /// Signature difference between the first and last decoded keyframe (0…1).
    public var keyframeDifference: Double?
    /// What the picture was compared with, and how much it differed: the evidence for
    /// or against ``PictureFlag/frozen``. Empty when there was nothing to compare with.
    public var comparisons: [PictureComparison]
    /// Picture-data bytes (slices only) of the window's latest keyframe: the one
    /// decoded, or the one whose size let the probe carry an earlier picture.
    public var keyframeBytes: Int?
    /// Set when no keyframe was decoded and the picture is the one decoded at
    /// this time, carried because the stream is live and its keyframe the same
    /// size (``PictureCarry``).
    public var carriedFrom: Date?

    public init(
        statistics: PictureStatistics, flags: [PictureFlag], decodedKeyframes: Int,
        keyframeDifference: Double?, comparisons: [PictureComparison] = []
    ) {
        self.statistics = statistics
        self.flags = flags
        self.decodedKeyframes = decodedKeyframes
        self.keyframeDifference = keyframeDifference
        self.comparisons = comparisons
    }

    private enum CodingKeys: String, CodingKey {
        case statistics, flags, decodedKeyframes, keyframeDifference, comparisons, keyframeBytes, carriedFrom
    }

    /// Reports stored before ``comparisons``, ``keyframeBytes`` and ``carriedFrom``
    /// existed decode without them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            statistics: try c.decode(PictureStatistics.self, forKey: .statistics),
            flags: try c.decode([PictureFlag].self, forKey: .flags),
            decodedKeyframes: try c.decode(Int.self, forKey: .decodedKeyframes),
            keyframeDifference: try c.decodeIfPresent(Double.self, forKey: .keyframeDifference),
            comparisons: try c.decodeIfPresent([PictureComparison].self, forKey: .comparisons) ?? [])
        keyframeBytes = try c.decodeIfPresent(Int.self, forKey: .keyframeBytes)
        carriedFrom = try c.decodeIfPresent(Date.self, forKey: .carriedFrom)
    }
}

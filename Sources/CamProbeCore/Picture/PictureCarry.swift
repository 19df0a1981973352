import Foundation

/// A camera's last decoded picture that showed nothing wrong, as the daemon
/// keeps it between probes (``FleetState/decodedPictures``).
public struct DecodedPicture: Sendable, Equatable {
    public let picture: PictureReport
    public let codec: String
    public let width: Int
    public let height: Int
    /// The frame sizes of this decode.
    public let latest: FrameSizes
    /// The frame sizes of up to ``remembered`` earlier decodes of the same
    /// stream that showed nothing wrong, newest first: a camera whose keyframes
    /// alternate between sizes (a busy and a quiet moment of the scene, or an
    /// encoder's rate control settling) carries at each of them.
    public private(set) var earlier: [FrameSizes] = []

    /// A keyframe's and the median non-key frame's picture bytes, when a decode
    /// found them showing nothing wrong.
    public struct FrameSizes: Sendable, Equatable {
        /// Picture-data bytes (slices only) of the keyframe that was decoded.
        public let keyframeBytes: Int
        /// The window's median non-key frame picture bytes (``StreamTiming/deltaFrameBytes``).
        public let deltaFrameBytes: Int
        public let decodedAt: Date
    }

    /// Earlier clean decodes remembered besides the last one.
    public static let remembered = 3

    public init(
        picture: PictureReport, keyframeBytes: Int, deltaFrameBytes: Int, codec: String, width: Int, height: Int,
        decodedAt: Date
    ) {
        self.picture = picture
        self.codec = codec
        self.width = width
        self.height = height
        self.latest = FrameSizes(keyframeBytes: keyframeBytes, deltaFrameBytes: deltaFrameBytes, decodedAt: decodedAt)
    }

    /// What `report` leaves to carry: its picture when one was decoded, showed
    /// nothing wrong and the stream's size and keyframe bytes are known; nil
    /// otherwise (the next probe decodes).
    public init?(of report: ProbeReport) {
        guard report.failure == nil, let picture = report.picture, picture.decodedKeyframes > 0,
              picture.flags.isEmpty, let bytes = picture.keyframeBytes, bytes > 0,
              let video = report.video, let width = video.width, let height = video.height,
              let delta = video.timing.deltaFrameBytes, delta > 0
        else { return nil }
        self.init(
            picture: picture, keyframeBytes: bytes, deltaFrameBytes: delta, codec: video.codec, width: width,
            height: height, decodedAt: report.startedAt)
    }

    public var keyframeBytes: Int { latest.keyframeBytes }
    public var deltaFrameBytes: Int { latest.deltaFrameBytes }
    public var decodedAt: Date { latest.decodedAt }

    /// This decode, remembering `previous`'s sizes when it was of the same stream.
    public func following(_ previous: DecodedPicture?) -> DecodedPicture {
        guard let previous, previous.codec == codec, previous.width == width, previous.height == height else { return self }
        var next = self
        next.earlier = [previous.latest] + previous.earlier.prefix(Self.remembered - 1)
        return next
    }
}

/// When a probe may carry the camera's last decoded picture instead of decoding
/// its keyframe again. Decoding a keyframe is over half of what a region's
/// probes cost (1080p H.264: BENCHMARKS.md, "The 17,432-camera region"), and
/// for a camera that works its picture rarely changes in a way the checks see.
///
/// Every picture fault the checks look for changes what the encoder spends on
/// a keyframe, or the stream's non-key frames: a black, covered or no-signal
/// picture costs a fraction of a live scene's bytes, a blurred one loses its
/// detail and with it a large share of its bytes, and a frozen picture makes
/// the stream static (its non-key frames go quiet). So the picture is carried
/// only while all of this holds:
/// - the last decoded picture showed nothing wrong (``DecodedPicture``);
/// - it is younger than the daemon's refresh age (an hour: the picture is
///   looked at afresh at least that often, whatever the sizes say);
/// - the stream is the same: codec, width and height;
/// - the stream is live: its non-key frames carry picture data
///   (``PictureThresholds/isStatic(quietFrameBytesPerMegapixel:)`` is false),
///   so the picture cannot be frozen;
/// - this keyframe's picture bytes are within ``keyframeTolerance`` of the
///   decoded one's, and the window's median non-key frame within
///   ``deltaFrameTolerance`` of that probe's, or both within tolerance of an
///   earlier clean decode's of the last hour (``DecodedPicture/earlier``):
///   two measures of what the
///   encoder sees. A camera facing a plain wall and the same camera covered
///   can spend the same on a keyframe (the scenes `wall_1080p` and
///   `covered_1080p`: 39.8 and 38.5 KB), not on the frames between (13.0 and
///   8.6 KB).
///
/// A rate control that keeps a keyframe's size while its content changes (a
/// strict CBR encoder lowering its quantiser for a blurred picture) can hide
/// a slow fault until the refresh age: an hour at most.
public enum PictureCarry {
    /// ±15 %: a fixed school camera's keyframes vary by a few per cent between
    /// probes (people moving, noise); a black or covered picture drops to a
    /// small fraction, a blurred one by a third or more.
    public static let keyframeTolerance = 0.15
    /// ±25 %: non-key frames follow what moves in the scene, so they vary more
    /// than keyframes from probe to probe; a change beyond this decodes.
    public static let deltaFrameTolerance = 0.25

    /// Whether this probe may carry `last` instead of decoding. `keyframeBytes`:
    /// the picture bytes of the keyframe the probe would decode; `video`: this
    /// window's measurement (its size and median non-key frame); `isStatic`:
    /// the stream's non-key frames judged (nil: not judged).
    public static func allows(
        _ last: DecodedPicture, keyframeBytes: Int, video: VideoMeasurement?, isStatic: Bool?,
        at now: Date, maxAge: Double
    ) -> Bool {
        guard let video, video.codec == last.codec, video.width == last.width, video.height == last.height else {
            return false
        }
        guard isStatic == false, let delta = video.timing.deltaFrameBytes else { return false }
        func young(_ time: Date) -> Bool {
            let age = now.timeIntervalSince(time)
            return age >= 0 && age < maxAge
        }
        func matches(_ sizes: DecodedPicture.FrameSizes) -> Bool {
            young(sizes.decodedAt)
                && within(keyframeTolerance, keyframeBytes, of: sizes.keyframeBytes)
                && within(deltaFrameTolerance, delta, of: sizes.deltaFrameBytes)
        }
        guard young(last.decodedAt) else { return false }
        return matches(last.latest) || last.earlier.contains(where: matches)
    }

    private static func within(_ tolerance: Double, _ bytes: Int, of reference: Int) -> Bool {
        guard bytes > 0, reference > 0 else { return false }
        return abs(Double(bytes) - Double(reference)) / Double(reference) <= tolerance
    }

    /// The picture a probe reports when it carries `last`: the same statistics
    /// and (empty) flags, no keyframe decoded, no comparison made, and when it
    /// was decoded. `keyframeBytes`: this probe's keyframe.
    public static func carried(_ last: DecodedPicture, keyframeBytes: Int) -> PictureReport {
        var picture = PictureReport(
            statistics: last.picture.statistics, flags: last.picture.flags, decodedKeyframes: 0,
            keyframeDifference: nil, comparisons: [])
        picture.keyframeBytes = keyframeBytes
        picture.carriedFrom = last.decodedAt
        return picture
    }
}

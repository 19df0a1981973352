/// The compliance rules a camera is judged against. The official Kazakh
/// standards' numeric clauses were not available (see `shared/DOMAIN.md`), so
/// every threshold is configurable and each default names its source.
public struct PolicyProfile: Sendable, Equatable, Codable {
    /// The profile's name, as the inventory refers to it (`digital-main`).
    public var name: String
    /// Human description for reports.
    public var description: String?

    /// Accepted codecs, FFmpeg names (`h264`, `hevc`).
    /// Source: common ЦОУ/archive integration specs (Moscow city archive: RTSP + H.264).
    public var codecs: [String]
    /// Minimum width and height of the judged stream.
    /// Source: digital main stream ≥ 1920×1080, the 2 MP school minimum of other
    /// national school programmes; analog via DVR ≥ 704×576 (PAL D1).
    public var minWidth: Int
    public var minHeight: Int
    /// Below this measured frame rate the camera fails (degraded, non-compliant).
    /// Source: Moscow archive spec range 15–25 fps.
    public var minFrameRate: Double
    /// Below this it is a warning (still compliant, reported).
    public var warnFrameRate: Double
    /// Longest keyframe interval, seconds. Source: our choice — longer GOPs make
    /// live view and archive seeking slow.
    public var maxKeyframeInterval: Double
    /// Below this bitrate (bit/s) warn "covered or blank lens?".
    /// Source: a commercial monitor's heuristic (20 kbit/s).
    public var minBitrate: Double
    /// Clock skew, seconds: warn above, fail above. Source: our choice; UK CCTV
    /// guidance requires correct time and date on recordings.
    public var warnClockSkew: Double
    public var maxClockSkew: Double
    /// Picture checks to apply.
    public var checkBlack: Bool
    public var checkUniform: Bool
    public var checkFrozen: Bool
    public var checkBlurred: Bool
    /// Thresholds of the picture checks (see `PictureThresholds` for sources).
    public var picture: PictureThresholds
    /// Flag the camera "analog – scheduled for replacement" (analog behind a DVR).
    public var flagAnalog: Bool
    /// Probe interval in seconds (used by the daemon).
    public var interval: Double
    /// The archive rules (depth, holes, recorder clock); see ``ArchiveRules``.
    public var archive: ArchiveRules

    public init(
        name: String,
        description: String? = nil,
        codecs: [String] = ["h264", "hevc"],
        minWidth: Int = 1920,
        minHeight: Int = 1080,
        minFrameRate: Double = 15,
        warnFrameRate: Double = 25,
        maxKeyframeInterval: Double = 4,
        minBitrate: Double = 20_000,
        warnClockSkew: Double = 5,
        maxClockSkew: Double = 60,
        checkBlack: Bool = true,
        checkUniform: Bool = true,
        checkFrozen: Bool = true,
        checkBlurred: Bool = true,
        picture: PictureThresholds = PictureThresholds(),
        flagAnalog: Bool = false,
        interval: Double = 300,
        archive: ArchiveRules = ArchiveRules()
    ) {
        self.name = name
        self.description = description
        self.codecs = codecs
        self.minWidth = minWidth
        self.minHeight = minHeight
        self.minFrameRate = minFrameRate
        self.warnFrameRate = warnFrameRate
        self.maxKeyframeInterval = maxKeyframeInterval
        self.minBitrate = minBitrate
        self.warnClockSkew = warnClockSkew
        self.maxClockSkew = maxClockSkew
        self.checkBlack = checkBlack
        self.checkUniform = checkUniform
        self.checkFrozen = checkFrozen
        self.checkBlurred = checkBlurred
        self.picture = picture
        self.flagAnalog = flagAnalog
        self.interval = interval
        self.archive = archive
    }

    /// Digital camera, main stream.
    public static let digitalMain = PolicyProfile(name: "digital-main", description: "Digital IP camera, main stream")
    /// Analog camera behind a DVR: PAL D1 minimum, flagged for replacement.
    public static let analogDVR = PolicyProfile(
        name: "analog-dvr", description: "Analog camera behind a DVR", minWidth: 704, minHeight: 576, flagAnalog: true)
}

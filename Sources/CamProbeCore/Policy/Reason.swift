/// How much one ``Reason`` weighs in the ``Verdict``.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    /// Reported for the record (an analog camera, a measurement the window was too short for).
    case info
    /// Reported, but the camera still counts as up.
    case warning
    /// The camera does not meet a rule: it is degraded (non-compliant).
    case violation
    /// The camera does not work: it is down.
    case failure

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .violation: 2
        case .failure: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Which of a camera's streams a measurement came from.
public enum StreamRole: String, Sendable, Codable, CaseIterable {
    /// Full resolution; what the archive records and compliance is judged on.
    case main
    /// Low resolution; cheap to decode, enough to see that the picture is alive.
    case sub
}

/// One reason for a ``Verdict``: a stable code, how much it weighs, and the values
/// behind it.
///
/// `measured` and `expected` are short, language-neutral displays (`"1280×720"`,
/// `"≥ 1920×1080"`, `"12.5 fps"`) for tables and logs. `parameters` carries the same
/// values in machine form (numbers in Swift's locale-free notation, `"12.5"`), from
/// which ``text(in:)`` builds the sentence in each language. Keys per code:
///
/// | code | keys |
/// | --- | --- |
/// | `probe.*` | `message` (the prober's one line, English, no credentials), `phase` when known |
/// | `picture.black` | `dark_share`, `limit` (shares 0…1) |
/// | `picture.uniform` | `luma_spread`, `mean_luma`, `limit` |
/// | `picture.frozen` | `difference` when measured within the probe (else compared with the previous probe), `limit` |
/// | `picture.blurred` | `sharpness`, `limit` |
/// | `codec.not_allowed` | `codec`, `allowed` (comma-separated FFmpeg names) |
/// | `resolution.below_minimum` | `width`, `height`, `min_width`, `min_height` |
/// | `framerate.*` | `frame_rate`, `limit` (fps) |
/// | `keyframe_interval.too_long` | `interval`, `limit` (seconds), `frames` when known |
/// | `keyframe_interval.unmeasured` | `keyframes`, `span` (seconds of stream measured) |
/// | `bitrate.too_low` | `bitrate`, `limit` (bit/s) |
/// | `clock.*` | `skew` (camera minus us, seconds), `limit` (seconds) |
/// | `stream.gaps` | `gaps`, `longest_gap` (seconds) when known |
/// | `camera.analog` | none |
/// | `archive.too_short` | `days` (recorded, holes subtracted), `limit`, `earliest`/`latest` (UTC, recorder clock) when known |
/// | `archive.gaps` | `gaps`, `longest_gap` (seconds), `from`/`to` (the longest, UTC), `limit` (seconds) |
/// | `archive.clock` | `offset` (recorder minus us, seconds), `limit` (seconds) |
/// | `archive.unmeasured` | `message` (one line, no credentials), `cause` (``ArchiveFailure/Code``) |
public struct Reason: Sendable, Codable, Equatable {
    public var code: ReasonCode
    public var severity: Severity
    /// The stream the reason is about. Set only when the camera was probed on both
    /// streams; nil when only the main stream was probed, or for reasons about the
    /// camera itself (`camera.analog`).
    public var stream: StreamRole?
    /// What was measured, e.g. `"1280×720"`; for a failed probe, the prober's message.
    public var measured: String?
    /// What the rule asks for, e.g. `"≥ 1920×1080"`; nil where there is no threshold
    /// (a failed probe).
    public var expected: String?
    public var parameters: [String: String]

    public init(
        code: ReasonCode, severity: Severity, stream: StreamRole? = nil, measured: String? = nil,
        expected: String? = nil, parameters: [String: String] = [:]
    ) {
        self.code = code
        self.severity = severity
        self.stream = stream
        self.measured = measured
        self.expected = expected
        self.parameters = parameters
    }
}

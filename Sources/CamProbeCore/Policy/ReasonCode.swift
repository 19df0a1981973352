/// The stable machine code of one ``Reason``: what alerts, metrics, dashboards and
/// tests key on. Raw values never change once shipped; a new case is a new code.
///
/// | code | severity | when |
/// | --- | --- | --- |
/// | `probe.invalid_url` | failure¹ | the stream address in the inventory cannot be used |
/// | `probe.dns` | failure¹ | the host name does not resolve |
/// | `probe.refused` | failure¹ | nothing listens on the port |
/// | `probe.unreachable` | failure¹ | no route to the host |
/// | `probe.timeout.resolve` | failure¹ | name resolution got no answer in time |
/// | `probe.timeout.connect` | failure¹ | TCP connect got no answer in time |
/// | `probe.timeout.handshake` | failure¹ | connected, but no RTSP/HTTP answer (overloaded DVR) |
/// | `probe.timeout.first_frame` | failure¹ | the stream was set up but no video frame came |
/// | `probe.timeout` | failure¹ | a timeout in any other phase (the prober does not emit one today) |
/// | `probe.tls` | failure¹ | TLS handshake failed |
/// | `probe.unauthorized` | failure¹ | 401: wrong or missing credentials |
/// | `probe.forbidden` | failure¹ | 403 |
/// | `probe.not_found` | failure¹ | 404: wrong channel path |
/// | `probe.session_limit` | failure¹ | 453/454/503: the recorder's session slots are full |
/// | `probe.protocol` | failure¹ | the camera answered with an error or not with media |
/// | `probe.redirect` | failure¹ | redirected elsewhere with credentials (not sent there), or a redirect loop |
/// | `probe.no_video` | failure¹ | the stream has no video track |
/// | `probe.unsupported_codec` | failure¹ | the video cannot be demuxed or decoded |
/// | `probe.stalled` | failure¹ | the stream stopped sending |
/// | `probe.undecodable` | failure¹ | the picture could not be decoded |
/// | `probe.cancelled` | failure¹ | the prober cut the probe short; the verdict is not conclusive |
/// | `picture.black` | failure | the picture is black: covered lens or dead camera |
/// | `picture.uniform` | failure | one flat colour: no signal (a DVR's "NO VIDEO" screen) |
/// | `picture.frozen` | failure | the picture does not change |
/// | `picture.blurred` | violation | defocused, fogged or dirty lens |
/// | `codec.not_allowed` | violation | main-stream codec not in the profile's list |
/// | `resolution.below_minimum` | violation | main-stream resolution below the minimum |
/// | `framerate.below_minimum` | violation | main-stream frame rate below the minimum |
/// | `framerate.below_recommended` | warning | main-stream frame rate below the recommended rate |
/// | `keyframe_interval.too_long` | violation | main-stream keyframe interval above the maximum |
/// | `keyframe_interval.unmeasured` | info | fewer than two keyframes in the window (window shorter than the GOP) |
/// | `bitrate.too_low` | warning | main-stream bitrate below the minimum: covered or blank lens? |
/// | `clock.skew_warning` | warning | camera clock off by more than the warning limit |
/// | `clock.skew_too_large` | violation | camera clock off by more than the maximum: the archive is useless as evidence |
/// | `stream.gaps` | warning | frames arrived with gaps |
/// | `camera.analog` | info | analog camera behind a DVR, scheduled for replacement |
/// | `archive.too_short` | violation | the recorder keeps fewer days of this channel than `min_archive_days` |
/// | `archive.gaps` | violation | the channel's recordings have a hole ≥ `max_archive_gap`, or stopped |
/// | `archive.clock` | violation | the recorder's clock is off by more than `max_archive_clock_offset` |
/// | `archive.unmeasured` | info | the archive could not be measured (no method, wrong credentials, …) |
///
/// ¹ A probe failure takes the camera down only when no probed stream works. When the
/// main stream failed but the sub-stream works the camera is reachable but its archive
/// and compliance stream is broken: the main stream's failure is a violation. When only
/// the sub-stream failed it is a warning. See ``PolicyEvaluator``.
public enum ReasonCode: String, Sendable, Codable, CaseIterable {
    case probeInvalidURL = "probe.invalid_url"
    case probeDNS = "probe.dns"
    case probeRefused = "probe.refused"
    case probeUnreachable = "probe.unreachable"
    case probeTimeoutResolve = "probe.timeout.resolve"
    case probeTimeoutConnect = "probe.timeout.connect"
    case probeTimeoutHandshake = "probe.timeout.handshake"
    case probeTimeoutFirstFrame = "probe.timeout.first_frame"
    case probeTimeout = "probe.timeout"
    case probeTLS = "probe.tls"
    case probeUnauthorized = "probe.unauthorized"
    case probeForbidden = "probe.forbidden"
    case probeNotFound = "probe.not_found"
    case probeSessionLimit = "probe.session_limit"
    case probeProtocol = "probe.protocol"
    case probeRedirect = "probe.redirect"
    case probeNoVideo = "probe.no_video"
    case probeUnsupportedCodec = "probe.unsupported_codec"
    case probeStalled = "probe.stalled"
    case probeUndecodable = "probe.undecodable"
    case probeCancelled = "probe.cancelled"

    case pictureBlack = "picture.black"
    case pictureUniform = "picture.uniform"
    case pictureFrozen = "picture.frozen"
    case pictureBlurred = "picture.blurred"

    case codecNotAllowed = "codec.not_allowed"
    case resolutionBelowMinimum = "resolution.below_minimum"
    case frameRateBelowMinimum = "framerate.below_minimum"
    case frameRateBelowRecommended = "framerate.below_recommended"
    case keyframeIntervalTooLong = "keyframe_interval.too_long"
    case keyframeIntervalUnmeasured = "keyframe_interval.unmeasured"
    case bitrateTooLow = "bitrate.too_low"
    case clockSkewWarning = "clock.skew_warning"
    case clockSkewTooLarge = "clock.skew_too_large"
    case streamGaps = "stream.gaps"
    case cameraAnalog = "camera.analog"

    case archiveTooShort = "archive.too_short"
    case archiveGaps = "archive.gaps"
    case archiveClock = "archive.clock"
    case archiveUnmeasured = "archive.unmeasured"

    /// The code of a failed probe: `probe.` + ``ProbeFailure/qualifiedCode``. A timeout
    /// in a phase without a code of its own (`window`, `decode`, none) is `probe.timeout`.
    public init(_ failure: ProbeFailure) {
        switch failure.code {
        case .invalidURL: self = .probeInvalidURL
        case .dns: self = .probeDNS
        case .refused: self = .probeRefused
        case .unreachable: self = .probeUnreachable
        case .timeout:
            switch failure.phase {
            case .resolve: self = .probeTimeoutResolve
            case .connect: self = .probeTimeoutConnect
            case .handshake: self = .probeTimeoutHandshake
            case .firstFrame: self = .probeTimeoutFirstFrame
            case .window, .decode, nil: self = .probeTimeout
            }
        case .tls: self = .probeTLS
        case .unauthorized: self = .probeUnauthorized
        case .forbidden: self = .probeForbidden
        case .notFound: self = .probeNotFound
        case .sessionLimit: self = .probeSessionLimit
        case .protocolError: self = .probeProtocol
        case .redirect: self = .probeRedirect
        case .noVideo: self = .probeNoVideo
        case .unsupportedCodec: self = .probeUnsupportedCodec
        case .stalled: self = .probeStalled
        case .undecodable: self = .probeUndecodable
        case .cancelled: self = .probeCancelled
        }
    }

    /// Whether the code reports a failed probe (`probe.*`).
    public var isProbeFailure: Bool { rawValue.hasPrefix("probe.") }
}

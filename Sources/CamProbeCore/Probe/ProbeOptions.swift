/// How to probe. Durations are in seconds.
public struct ProbeOptions: Sendable, Equatable, Codable {
    public enum Transport: String, Sendable, Codable, CaseIterable {
        /// TCP interleaved, falling back to UDP when the camera refuses TCP (461).
        case auto
        case tcp
        case udp
    }

    /// Who speaks RTSP to the camera.
    public enum RTSPClient: String, Sendable, Codable, CaseIterable {
        /// CamProbe's own client for RTSP over TCP: buffered reads, a few system
        /// calls per hundred packets; RTP still depacketized by FFmpeg. Falls
        /// back to FFmpeg's reader for what it leaves out (redirects, UDP).
        case native
        /// FFmpeg's RTSP reader for everything.
        case ffmpeg
    }

    /// How long to measure the stream after its first video frame.
    public var window: Double
    /// Bound on each network phase: name resolution, TCP connect, RTSP/HTTP
    /// handshake, and waiting for the first frame.
    public var phaseTimeout: Double
    /// A stream that sends nothing for this long after it started is stalled.
    /// The effective bound grows for very slow cameras (see `ProbeBudget`).
    public var stallTimeout: Double
    public var transport: Transport
    public var rtspClient: RTSPClient
    /// Decode keyframes to judge the picture. Without it the probe is cheaper and
    /// reports no picture statistics.
    public var decodePicture: Bool
    /// How many keyframes per probe to decode at most. Two let a single probe see
    /// a frozen picture (first and last keyframe of the window identical). When
    /// the previous probe's picture signature is known only one is decoded and
    /// compared with it instead: the daemon's case, and half the decoding.
    public var maxDecodedKeyframes: Int
    /// Make a ``Snapshot`` (a small JPEG) of the latest decoded keyframe. Off
    /// unless asked for: the daemon asks when `snapshots: on`.
    public var snapshot: Bool = false
    /// Decode the earlier keyframe only when a frozen verdict is possible: the
    /// stream is static (or cannot be judged). A stream whose non-key frames
    /// carry picture data is live, so its picture cannot be frozen, and a second
    /// decode would only confirm it. Off for `camprobe probe` (a person looking
    /// at one camera sees both keyframes compared); the daemon turns it on,
    /// which halves the decoding of a region's first sweep.
    public var earlierKeyframeOnlyWhenStatic: Bool = false
    /// Carry the camera's last decoded picture, when it is younger than this
    /// many seconds, instead of decoding a keyframe of a live stream the same
    /// size (``PictureCarry``). Nil: always decode (`camprobe probe`); the
    /// daemon sets its picture refresh age.
    public var pictureCarryAge: Double? = nil

    /// How long one probe holds its camera's session on average, for sizing
    /// the schedule (Little's law): the window, plus a second for connecting,
    /// the RTSP handshake and the wait for the first keyframe on a real network
    /// (a region replayed on loopback measures the window + 0.1 s).
    public var expectedSessionSeconds: Double { window + 1 }

    public init(
        window: Double = 2,
        phaseTimeout: Double = 5,
        stallTimeout: Double = 2,
        transport: Transport = .auto,
        rtspClient: RTSPClient = .native,
        decodePicture: Bool = true,
        maxDecodedKeyframes: Int = 2
    ) {
        self.window = window
        self.phaseTimeout = phaseTimeout
        self.stallTimeout = stallTimeout
        self.transport = transport
        self.rtspClient = rtspClient
        self.decodePicture = decodePicture
        self.maxDecodedKeyframes = maxDecodedKeyframes
    }

    public static let `default` = ProbeOptions()
}

/// Every bound on what a camera may send, in one place, with the reason for
/// each number. A camera is an untrusted peer: at 17,000 devices a broken or
/// hostile one is certain, and whatever it sends must end the probe on time, in
/// bounded memory, with a classified failure — never trap, hang or grow.
///
/// The numbers are far above anything a working camera sends (so no real
/// camera is failed by them) and far below what would hurt the prober (so a
/// hostile one costs a few megabytes and a few seconds, once). Beyond a limit
/// the probe ends with a classified failure (`protocol`, `undecodable`,
/// `redirect`) whose message names the limit.
public enum CameraLimits {
    // MARK: RTSP messages

    /// An RTSP response head (status line and headers), checked on the whole
    /// head however the bytes arrive. Cameras answer in a few hundred bytes; a
    /// Digest challenge with a long nonce stays under 2 KiB.
    public static let responseHeadBytes = 16 * 1024
    /// Header fields in one response: real answers carry fewer than 15.
    public static let responseHeaderCount = 64
    /// A response body (the session description of DESCRIBE, a GET_PARAMETER
    /// answer). Together with the head it must fit the receive buffer twice over.
    public static let responseBodyBytes = 64 * 1024
    /// A session description: real ones are 0.5–4 KiB (parameter sets included);
    /// a 32-channel recorder's full SDP stays under 16 KiB.
    public static let sessionDescriptionBytes = 32 * 1024
    /// Media sections in one session description (video, audio, metadata, a
    /// backchannel: a handful).
    public static let sessionDescriptionMedia = 32
    /// The session id of SETUP's answer, echoed in every later request. RFC 2326
    /// sets no maximum; cameras use 8–32 characters.
    public static let sessionIDLength = 256
    /// RTSP messages that are not the awaited answer (server requests, stale or
    /// duplicate answers) skipped while waiting for one answer. A camera may send
    /// a keep-alive or two; a hundred is a flood.
    public static let skippedMessages = 100
    /// An interleaved frame's 16-bit length allows 65,535 bytes of payload; the
    /// receive buffer holds the largest frame with its 4-byte header.
    public static let interleavedFrameBytes = 65_535 + 4
    /// Redirects (3xx) followed in one probe. NVR front ends redirect once; a
    /// loop must end. Only to the configured host and port when the URL carries
    /// credentials (see `RedirectPolicy`).
    public static let redirects = 3

    // MARK: Media

    /// Bytes of one access unit (all packets sharing one RTP timestamp). An 8K
    /// intra frame at high quality is 2–4 MiB; a camera that keeps one
    /// timestamp forever is cut off here instead of growing without end.
    public static let accessUnitBytes = 8 * 1024 * 1024
    /// The highest frame rate taken as plausible, declared or measured.
    /// Surveillance cameras send 1–60 fps; 300 leaves room for odd time bases.
    public static let maximumFrameRate = 300.0
    /// Frames counted in one window: the plausible rate over the window and its
    /// stall allowance. A flood of distinct timestamps ends here.
    public static func framesPerWindow(window: Double, stallTimeout: Double) -> Int {
        Int(maximumFrameRate * (window + stallTimeout)) + 1
    }

    /// Width and height taken as plausible: 16 pixels (one macroblock) to 8192
    /// (8K; H.264 level 6.2 and H.265 level 6.2 stop at 8192).
    public static let pictureDimensions = 16...8192
    /// The largest picture the decoder is allowed to allocate (`max_pixels` on
    /// the codec context): 8K UHD, 7680×4320 rounded up to 8192×4352. A lying
    /// SPS (16000×16000) is refused by the decoder before it allocates.
    public static let maximumPixels = 8192 * 4352
    /// Allocations FFmpeg may make on a camera's behalf (`av_max_alloc`, process
    /// wide). An 8K frame plane is 35 MiB; FFmpeg's RTSP reader would otherwise
    /// allocate whatever `Content-Length` a camera declares (2 GB).
    public static let ffmpegAllocationBytes = 64 * 1024 * 1024

    // MARK: Text

    /// Characters of camera-supplied text (reason phrases, challenges, header
    /// values) kept in a message: enough to recognise firmware, too little to
    /// carry a payload into logs, events and webhooks.
    public static let cameraTextLength = 120

    // MARK: Plausibility

    /// Whether a declared or decoded picture size is one a camera can send.
    public static func isPlausible(width: Int, height: Int) -> Bool {
        pictureDimensions.contains(width) && pictureDimensions.contains(height)
            && width * height <= maximumPixels // both at most 8192 here: no overflow
    }

    public static func isPlausible(frameRate: Double) -> Bool {
        frameRate.isFinite && frameRate > 0 && frameRate <= maximumFrameRate
    }
}

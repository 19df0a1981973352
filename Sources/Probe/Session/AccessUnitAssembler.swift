import CamProbeCore

/// The access unit being assembled from the packets that share one timestamp:
/// its size, its picture data (slices only), whether it is a keyframe, and the
/// bytes of a keyframe kept in the workspace for decoding. A value the window
/// reader owns; nothing here trusts the camera's sizes beyond
/// `CameraLimits.accessUnitBytes`.
struct AccessUnitAssembler {
    let family: VideoCodecFamily?
    /// Annex-B packets (start codes), as from RTSP and MPEG-TS.
    let annexB: Bool
    /// Every frame of an intra-only codec (MJPEG) is a keyframe.
    let intraOnly: Bool
    /// Keyframe bytes are kept (the picture will be decoded).
    let keepsPicture: Bool
    let keepsTwoKeyframes: Bool

    /// The timestamp of the unit being assembled; nil between units.
    private(set) var pts: Double?
    private var bytes = 0
    private var pictureBytes = 0
    private var isKey = false
    private var isDelta = false
    /// Whether a keyframe had arrived by now (the first one's arrival is a timing).
    private(set) var hasKeyframe = false

    init(family: VideoCodecFamily?, annexB: Bool, intraOnly: Bool, options: ProbeOptions, keepsTwoKeyframes: Bool) {
        self.family = family
        self.annexB = annexB
        self.intraOnly = intraOnly
        self.keepsPicture = options.decodePicture
        self.keepsTwoKeyframes = keepsTwoKeyframes
    }

    /// Starts the unit of `pts` (the previous one must be finished).
    mutating func begin(pts: Double) {
        self.pts = pts
    }

    /// Adds one packet of the current unit. Returns whether it carried an SPS
    /// (the caller reads the resolution from it). Throws past the size limit.
    mutating func add(
        _ packet: UnsafeBufferPointer<UInt8>, keyFlag: Bool, workspace: ProbeWorkspace
    ) throws(ProbeFailure) -> Bool {
        bytes += packet.count
        // Every reader (FFmpeg's too) lands here: one timestamp must end.
        if bytes > CameraLimits.accessUnitBytes {
            throw ProbeFailure(.protocolError, phase: .window, "one video frame (timestamp) grew past \(CameraLimits.accessUnitBytes / (1024 * 1024)) MiB without ending (CameraLimits.accessUnitBytes)")
        }
        var sawSPS = false
        if let family, annexB {
            let scan = NALScan(packet, family: family)
            pictureBytes &+= scan.pictureBytes
            if scan.hasKeyframe { isKey = true }
            // The unit's first slice says whether it is a keyframe; the bytes of
            // other frames are not kept.
            if scan.hasSlice, !isKey { isDelta = true }
            sawSPS = scan.hasSPS
        } else {
            pictureBytes &+= packet.count
            if intraOnly || keyFlag { isKey = true } else { isDelta = true }
        }
        if keepsPicture {
            if isDelta {
                workspace.dropUnit()
            } else {
                if isKey, !workspace.assemblingKeyframe { workspace.beginKeyframe() }
                workspace.appendToUnit(packet)
            }
        }
        if isKey { hasKeyframe = true }
        return sawSPS
    }

    /// Ends the current unit: its frame goes into `timeline`, its bytes become
    /// the latest keyframe when it is one. Returns whether a keyframe was kept.
    mutating func finish(into timeline: inout StreamTimeline, workspace: ProbeWorkspace) -> Bool {
        guard let pts else { return false }
        timeline.addFrame(pts: pts, bytes: bytes, keyframe: isKey, pictureBytes: pictureBytes)
        let kept = isKey && keepsPicture && workspace.assemblingKeyframe && !workspace.previousKeyframe.isEmpty
        if kept {
            workspace.keepAssembledKeyframe(keepPrevious: keepsTwoKeyframes, pictureBytes: pictureBytes)
        } else {
            workspace.dropUnit()
        }
        self.pts = nil
        bytes = 0
        pictureBytes = 0
        isKey = false
        isDelta = false
        return kept
    }
}

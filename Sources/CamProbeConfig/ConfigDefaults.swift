import CamProbeCore

/// Every default of the configuration files, in one place.
public enum ConfigDefaults {
    public static let language = Language.ru
    /// Probe settings: `ProbeOptions`' defaults, the same as `camprobe probe`'s.
    public static let probe = ConfigFile.ProbeSettings(
        window: ProbeOptions.default.window, timeout: ProbeOptions.default.phaseTimeout,
        transport: ProbeOptions.default.transport, concurrency: 4)
    public static let cameraKind = CameraKind.digital
    /// A recorder without `kind` is a DVR: analog cameras are only reachable through one.
    public static let recorderKind = CameraKind.analog
    public static let recorderPort = 554
    public static let recorderChannels = 1...256

    /// The built-in profiles; a profiles file may redefine them.
    public static let profiles: [String: PolicyProfile] = [
        PolicyProfile.digitalMain.name: .digitalMain,
        PolicyProfile.analogDVR.name: .analogDVR,
    ]

    /// The profile of a camera whose inventory entry names none.
    public static func profile(for kind: CameraKind) -> String {
        switch kind {
        case .digital: PolicyProfile.digitalMain.name
        case .analog: PolicyProfile.analogDVR.name
        }
    }

    /// FFmpeg names of the codecs a profile may accept.
    public static let knownCodecs = ["h264", "hevc", "mjpeg", "mpeg4", "h263", "av1", "vp8", "vp9"]
    /// Names operators write for them (lowercased) → FFmpeg's.
    static let codecAliases = ["h265": "hevc", "h.265": "hevc", "h.264": "h264", "avc": "h264"]

    /// Limits of `probe:` (the same as `camprobe probe`'s options).
    static let probeWindow = 0.0...60.0
    static let probeTimeout = 0.0...120.0
    static let probeConcurrency = 1...256
}

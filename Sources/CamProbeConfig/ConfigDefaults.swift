import CamProbeCore

/// Every default of the configuration files, in one place.
public enum ConfigDefaults {
    public static let language = Language.ru
    /// Probe settings: `ProbeOptions`' defaults, the same as `camprobe probe`'s.
    public static let probe = ConfigFile.ProbeSettings(
        window: ProbeOptions.default.window, timeout: ProbeOptions.default.phaseTimeout,
        transport: ProbeOptions.default.transport, concurrency: 4)
    /// Daemon settings: the paths systemd's unit gives, loopback metrics, a
    /// school year plus a margin of history (an availability report covers up
    /// to a year, and a contractor's SLA is disputed a month or so after it
    /// closes: 365 + 35 days), probes at once sized from the inventory, and the
    /// schedule's and state machine's own defaults (their reasons are there).
    public static let daemon = ConfigFile.DaemonSettings(
        stateDir: "/var/lib/camprobe", statusSocket: "/run/camprobe/status.sock", statusGroup: nil,
        metricsAddress: "127.0.0.1:9464", retentionDays: 400, maxConcurrentProbes: nil,
        sessionsPerHost: ProbeScheduleSettings.default.maxSessionsPerHost,
        failuresToDown: StateMachinePolicy.default.failuresToDown,
        successesToRecover: StateMachinePolicy.default.successesToRecover)
    /// Snapshots on: a report's evidence of what each camera shows. They are
    /// 320 px wide, two per camera, kept in the state directory (owner and group
    /// only) and served only over the status socket; `snapshots: off` where the
    /// school's data-protection rules forbid keeping any picture of the children.
    public static let snapshots = true
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
    static let retentionDays = 1...3650
    static let sessionsPerHost = 1...64
    static let hysteresis = 1...100
    static let outboxLimit = 1_000...100_000_000
    static let snapshotInterval = 60.0...86_400.0
    static let heartbeatInterval = 10.0...3_600.0
    static let lagWarning = 1.0...3_600.0
    /// `archive.interval`: from a minute (tests, a bench) to a month.
    static let archiveInterval = 60.0...2_678_400.0
}

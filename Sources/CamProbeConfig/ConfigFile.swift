import CamProbeCore

/// The main configuration file (`camprobe.yaml`), decoded and validated.
/// Paths in it are resolved against the file's own directory.
public struct ConfigFile: Sendable, Equatable {
    /// `probe:`: how each camera is probed.
    public struct ProbeSettings: Sendable, Equatable, Codable {
        /// Seconds of stream measured after the first frame.
        public var window: Double
        /// Seconds allowed for each network phase.
        public var timeout: Double
        public var transport: ProbeOptions.Transport
        /// `native` (CamProbe's RTSP client over TCP) or `ffmpeg`.
        public var rtspClient: ProbeOptions.RTSPClient
        /// Streams probed at once.
        public var concurrency: Int

        public init(
            window: Double, timeout: Double, transport: ProbeOptions.Transport, concurrency: Int,
            rtspClient: ProbeOptions.RTSPClient = .native
        ) {
            self.window = window
            self.timeout = timeout
            self.transport = transport
            self.rtspClient = rtspClient
            self.concurrency = concurrency
        }

        /// As options for the prober (the other options keep their defaults).
        public var options: ProbeOptions {
            ProbeOptions(window: window, phaseTimeout: timeout, transport: transport, rtspClient: rtspClient)
        }
    }

    /// `daemon:`: how `camprobe run` runs. Command-line flags override these.
    public struct DaemonSettings: Sendable, Equatable, Codable {
        /// Where the state database lives (systemd: `StateDirectory=`).
        public var stateDir: String
        /// The status socket (systemd: under `RuntimeDirectory=`).
        public var statusSocket: String
        /// Group given the status socket (mode 0660), if any.
        public var statusGroup: String?
        /// `HOST:PORT` of the Prometheus endpoint; empty to turn it off.
        public var metricsAddress: String
        /// Days of state history kept.
        public var retentionDays: Int
        /// Probes running at once, over all cameras; nil (`auto`, the default):
        /// sized from the inventory (``LoadedConfig/probeConcurrency``).
        public var maxConcurrentProbes: Int?
        /// RTSP sessions at once on one DVR/NVR or camera address.
        public var sessionsPerHost: Int
        /// Consecutive failed probes before a camera is reported down.
        public var failuresToDown: Int
        /// Consecutive good probes before it is reported up again.
        public var successesToRecover: Int
        /// Seconds of schedule lag that, lasting twice as long, count as "behind"
        /// (`ScheduleLagWatch`).
        public var lagWarning: Double

        public init(
            stateDir: String, statusSocket: String, statusGroup: String?, metricsAddress: String, retentionDays: Int,
            maxConcurrentProbes: Int?, sessionsPerHost: Int, failuresToDown: Int, successesToRecover: Int,
            lagWarning: Double = ScheduleLagWatch.defaultThreshold
        ) {
            self.lagWarning = lagWarning
            self.stateDir = stateDir
            self.statusSocket = statusSocket
            self.statusGroup = statusGroup
            self.metricsAddress = metricsAddress
            self.retentionDays = retentionDays
            self.maxConcurrentProbes = maxConcurrentProbes
            self.sessionsPerHost = sessionsPerHost
            self.failuresToDown = failuresToDown
            self.successesToRecover = successesToRecover
        }
    }

    /// The file, as given.
    public var path: String
    /// This prober's id (in events and metrics); default: the host name.
    public var instance: String
    /// Language of operators' messages (reasons, states).
    public var language: Language
    /// Inventory files (`.yaml`, `.yml`, `.csv`), resolved.
    public var inventory: [String]
    /// Secrets file, resolved.
    public var secrets: String?
    /// Profiles file, resolved.
    public var profiles: String?
    public var probe: ProbeSettings
    public var daemon: DaemonSettings = ConfigDefaults.daemon
    /// `events:`: the outbox.
    public var events = EventSettings()
    /// `queue:`: the broker events are published to; nil: none (events stay in the outbox).
    public var queue: QueueSettings?
    /// `webhooks:`: alert routes; empty: none.
    public var webhooks = WebhookSettings()
    /// `snapshots: on|off`: keep a small JPEG of each camera's picture.
    public var snapshots = ConfigDefaults.snapshots

    public init(
        path: String, instance: String, language: Language = ConfigDefaults.language, inventory: [String],
        secrets: String? = nil, profiles: String? = nil, probe: ProbeSettings = ConfigDefaults.probe
    ) {
        self.path = path
        self.instance = instance
        self.language = language
        self.inventory = inventory
        self.secrets = secrets
        self.profiles = profiles
        self.probe = probe
    }

    /// `relative` joined to the directory of `file` (absolute paths stay as they are).
    static func resolve(_ relative: String, against file: String) -> String {
        if relative.hasPrefix("/") { return relative }
        guard let slash = file.lastIndex(of: "/") else { return relative }
        let directory = file[...slash]
        return directory + (relative.hasPrefix("./") ? String(relative.dropFirst(2)) : relative)
    }
}

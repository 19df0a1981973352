import CamProbeCore

/// A whole configuration, loaded and valid: what the daemon runs on. Immutable;
/// a reload builds a new one.
public struct LoadedConfig: Sendable {
    public var config: ConfigFile
    /// Every camera, recorders expanded to one camera per channel, in inventory order.
    public var cameras: [Camera]
    /// The recorders the cameras came from (one host, few RTSP sessions each).
    public var recorders: [Recorder]
    /// Built-in and file profiles by name.
    public var profiles: [String: PolicyProfile]
    public var secrets: SecretsStore

    public init(
        config: ConfigFile, cameras: [Camera], recorders: [Recorder], profiles: [String: PolicyProfile],
        secrets: SecretsStore
    ) {
        self.config = config
        self.cameras = cameras
        self.recorders = recorders
        self.profiles = profiles
        self.secrets = secrets
    }

    public var language: Language { config.language }

    /// Every camera as the schedule sees it.
    public var scheduledCameras: [ScheduledCamera] {
        cameras.map { ScheduledCamera($0, profile: profile(for: $0)) }
    }

    /// Seconds one probe holds a session, for sizing (see ``ProbeOptions/expectedSessionSeconds``).
    public var secondsPerProbe: Double { config.probe.options.expectedSessionSeconds }

    /// Probes in flight on average that keep every camera on its interval.
    public var probesNeeded: Double {
        ProbeScheduleSettings.probesNeeded(for: scheduledCameras, secondsPerProbe: secondsPerProbe)
    }

    /// Probes at once: `daemon.max_concurrent_probes` when set, else sized from
    /// the inventory (``ProbeScheduleSettings/sizedConcurrency(for:secondsPerProbe:)``).
    public var probeConcurrency: Int {
        config.daemon.maxConcurrentProbes ?? ProbeScheduleSettings.sizedConcurrency(probesNeeded: probesNeeded)
    }

    /// The rules `camera` is judged by: its profile with its overrides applied.
    public func profile(for camera: Camera) -> PolicyProfile? {
        profiles[camera.profile].map(camera.overrides.applied(to:))
    }

    /// The main stream's address with the camera's credentials: hand
    /// `unredacted` to FFmpeg, print only `redacted`.
    public func mainStream(for camera: Camera) throws(ProbeFailure) -> StreamURL {
        try StreamAddress.resolve(camera.mainStream, credentials: camera.credentials.flatMap { secrets[$0] })
    }

    public func subStream(for camera: Camera) throws(ProbeFailure) -> StreamURL? {
        guard let sub = camera.subStream else { return nil }
        return try StreamAddress.resolve(sub, credentials: camera.credentials.flatMap { secrets[$0] })
    }
}

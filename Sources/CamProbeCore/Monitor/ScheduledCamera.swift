/// What the schedule needs to know of one camera: its id, the device whose
/// session slots a probe uses, and how often to probe it.
public struct ScheduledCamera: Sendable, Equatable {
    public var id: String
    /// The session-limit key: cameras with the same key share
    /// ``ProbeScheduleSettings/maxSessionsPerHost`` sessions. See ``sessionKey(for:)``.
    public var sessionKey: String
    /// Seconds between probes of a healthy camera.
    public var interval: Double

    /// `interval` must be positive and finite (the configuration validator sees
    /// to it); anything else falls back to ``defaultInterval`` rather than
    /// stalling or flooding the schedule.
    public init(id: String, sessionKey: String, interval: Double) {
        self.id = id
        self.sessionKey = sessionKey
        self.interval = interval.isFinite && interval > 0 ? interval : Self.defaultInterval
    }

    /// An inventory camera, probed at the interval of its profile with its
    /// overrides applied (applying them again to an already applied profile
    /// changes nothing). Without a profile: the camera's override, else
    /// ``defaultInterval``.
    public init(_ camera: Camera, profile: PolicyProfile?) {
        let interval = camera.overrides.interval ?? profile?.interval ?? Self.defaultInterval
        self.init(id: camera.id, sessionKey: Self.sessionKey(for: camera), interval: interval)
    }

    /// The built-in profiles' interval: 300 s.
    public static let defaultInterval = PolicyProfile.digitalMain.interval

    /// Which device a probe of `camera` opens a session on, lowercased (not the
    /// failure domain of ``ProbeOutcome/hostKey(for:)``, which ignores the port):
    /// - behind a DVR/NVR, the recorder's host (``RecorderChannel/host``): all its
    ///   channels share its few RTSP slots, whatever port a URL names;
    /// - otherwise the main stream's `host:port` (default port of the scheme;
    ///   IPv6 in brackets): a school router forwarding one port per camera
    ///   reaches different cameras;
    /// - a URL that does not parse (it cannot be probed anyway): `camera:<id>`,
    ///   a device of its own.
    public static func sessionKey(for camera: Camera) -> String {
        if let recorder = camera.recorder { return recorder.host.lowercased() }
        guard let url = try? StreamURL(parsing: camera.mainStream) else { return "camera:" + camera.id }
        let host = url.host.lowercased()
        return (host.contains(":") ? "[\(host)]" : host) + ":" + String(url.port)
    }
}

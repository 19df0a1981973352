import CamProbeCore

/// What a configuration asks of the schedule, predicted before the daemon
/// runs (`camprobe check-config`): probes a second, probes in flight on
/// average (Little's law), the limit the daemon will use, and warnings where a
/// limit makes the intervals impossible.
public struct SchedulePlan: Sendable {
    public var cameras: Int
    public var probesPerSecond: Double
    public var secondsPerProbe: Double
    /// Probes in flight on average that keep every camera on its interval.
    public var probesNeeded: Double
    /// Probes at once the daemon will allow.
    public var probeLimit: Int
    /// Whether `probeLimit` is the configuration's (else sized from the inventory).
    public var limitConfigured: Bool
    /// Session keys (recorders, camera addresses) whose cameras need more
    /// sessions at once than `sessions_per_host` allows, most overloaded first.
    public var overloaded: [(key: String, needed: Double, limit: Int)]

    public init(_ loaded: LoadedConfig) {
        let scheduled = loaded.scheduledCameras
        cameras = scheduled.count
        probesPerSecond = scheduled.reduce(0) { $0 + 1 / $1.interval }
        secondsPerProbe = loaded.secondsPerProbe
        probesNeeded = ProbeScheduleSettings.probesNeeded(for: scheduled, secondsPerProbe: secondsPerProbe)
        probeLimit = loaded.probeConcurrency
        limitConfigured = loaded.config.daemon.maxConcurrentProbes != nil
        var settings = ProbeScheduleSettings.default
        settings.maxSessionsPerHost = loaded.config.daemon.sessionsPerHost
        overloaded = settings.overloadedSessionKeys(scheduled, secondsPerProbe: secondsPerProbe)
    }

    /// One line: what the schedule needs and what it gets.
    public var summary: String {
        let origin = limitConfigured ? "daemon.max_concurrent_probes" : "sized from the inventory"
        return "schedule: \(cameras) cameras, \(Self.decimal(probesPerSecond)) probes/s, about \(Self.decimal(probesNeeded)) probes in flight on average (\(Self.decimal(secondsPerProbe)) s each); \(probeLimit) probes at once (\(origin))"
    }

    /// Where the configuration cannot keep its cameras on their intervals.
    public var warnings: [String] {
        var warnings: [String] = []
        if Double(probeLimit) < probesNeeded {
            let slower = probesNeeded / Double(max(1, probeLimit))
            warnings.append(
                "daemon.max_concurrent_probes \(probeLimit) cannot keep \(cameras) cameras on their intervals: they need about \(Int(probesNeeded.rounded(.up))) probes at once (\(Self.decimal(probesPerSecond)) probes/s × \(Self.decimal(secondsPerProbe)) s, Little's law), so every camera would be probed about \(Self.decimal(slower)) times less often than its interval; remove the key to size it from the inventory (\(sizedLimit)) or raise it")
        }
        for entry in overloaded.prefix(5) {
            warnings.append(
                "daemon.sessions_per_host \(entry.limit): the cameras behind \(entry.key) need about \(Self.decimal(entry.needed)) sessions at once to be probed on their intervals; raise sessions_per_host (if the device allows) or lengthen their interval")
        }
        if overloaded.count > 5 {
            warnings.append("daemon.sessions_per_host: \(overloaded.count - 5) more devices are overloaded the same way")
        }
        return warnings
    }

    /// The limit the daemon would size for this inventory.
    public var sizedLimit: Int { ProbeScheduleSettings.sizedConcurrency(probesNeeded: probesNeeded) }

    static func decimal(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }
}

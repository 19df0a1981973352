import Foundation

/// `kz.camprobe.prober.heartbeat.v1`: the prober is alive. Sent every
/// `events.heartbeat_interval` to the queue, whatever happens to the cameras,
/// so the operations centre can tell a silent prober from a quiet fleet: no
/// heartbeat for three periods means the prober (or its path to the broker)
/// is down.
public struct HeartbeatEventData: Sendable, Equatable, Codable {
    /// The sweep that last covered every camera: each probed at least once.
    public struct Sweep: Sendable, Equatable, Codable {
        public var started: Date
        public var finished: Date
        public var seconds: Double { finished.timeIntervalSince(started) }

        public init(started: Date, finished: Date) {
            self.started = started
            self.finished = finished
        }

        private enum CodingKeys: String, CodingKey { case started, finished, seconds }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            started = try c.decode(Date.self, forKey: .started)
            finished = try c.decode(Date.self, forKey: .finished)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(started, forKey: .started)
            try c.encode(finished, forKey: .finished)
            try c.encode((seconds * 1000).rounded() / 1000, forKey: .seconds)
        }
    }

    public var instance: String
    public var version: String
    /// Cameras in the inventory, and per state.
    public var cameras: Int
    public var counts: [String: Int]
    /// How late the most overdue probe is, seconds (0: on time).
    public var lagSeconds: Double
    /// Seconds until the next heartbeat: the consumer's clock for "silent".
    public var intervalSeconds: Double
    public var lastSweep: Sweep?

    public init(
        instance: String, version: String, states: StateCounts, lagSeconds: Double, intervalSeconds: Double,
        lastSweep: Sweep?
    ) {
        self.instance = instance
        self.version = version
        self.cameras = states.cameras
        self.counts = ["up": states.up, "degraded": states.degraded, "down": states.down, "unknown": states.unknown]
        self.lagSeconds = (lagSeconds * 10).rounded() / 10
        self.intervalSeconds = intervalSeconds
        self.lastSweep = lastSweep
    }

    private enum CodingKeys: String, CodingKey {
        case instance, version, cameras, counts
        case lagSeconds = "lag_seconds"
        case intervalSeconds = "interval_seconds"
        case lastSweep = "last_sweep"
    }
}

/// `kz.camprobe.prober.schedule.v1`: the schedule fell behind (probes start
/// later than due, for longer than ``ScheduleLagWatch/sustain``), or caught up
/// again. Said once each way.
public struct ScheduleEventData: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case behind
        case onTime = "on_time"
    }

    public var instance: String
    public var state: State
    /// The lag when the change was noticed, seconds.
    public var lagSeconds: Double
    /// Since when the schedule has been behind (or on time again).
    public var since: Date
    /// Probes allowed at once, and the probes at once the inventory needs on average.
    public var probeLimit: Int
    public var probesNeeded: Double

    public init(instance: String, state: State, lagSeconds: Double, since: Date, probeLimit: Int, probesNeeded: Double) {
        self.instance = instance
        self.state = state
        self.lagSeconds = (lagSeconds * 10).rounded() / 10
        self.since = since
        self.probeLimit = probeLimit
        self.probesNeeded = (probesNeeded * 10).rounded() / 10
    }

    private enum CodingKeys: String, CodingKey {
        case instance, state, since
        case lagSeconds = "lag_seconds"
        case probeLimit = "probe_limit"
        case probesNeeded = "probes_needed"
    }
}

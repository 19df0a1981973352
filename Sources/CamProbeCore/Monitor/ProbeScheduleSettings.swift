/// The schedule's limits and rhythm. Every default is here, with its reason.
public struct ProbeScheduleSettings: Sendable, Equatable {
    /// Probes running at once, fleet-wide (network sessions; decoding is bounded
    /// separately by the prober). The daemon sizes it from its inventory unless
    /// the configuration names it (``sizedConcurrency(for:secondsPerProbe:)``);
    /// the default here, 256, is that size for 20,000 cameras every 300 s.
    /// Values below 1 count as 1.
    public var maxConcurrentProbes: Int
    /// Sessions at once on one host (``ScheduledCamera/host``). Default 2: budget
    /// DVRs allow a handful of RTSP sessions in all, and the school's own viewers
    /// and the archive use them too; this is also `camprobe probe`'s per-device
    /// limit. Values below 1 count as 1.
    public var maxSessionsPerHost: Int
    /// Exceptions to ``maxSessionsPerHost``, by session key (``ScheduledCamera/sessionKey``, lowercase).
    public var sessionLimits: [String: Int]
    /// Each consecutive ``ScheduleOutcome/down`` multiplies a camera's wait by
    /// this. Default 2. Values below 1 count as 1 (no backoff).
    public var backoffFactor: Double
    /// The longest backed-off wait, seconds. Default 1800 (30 min): a dead
    /// camera still gets checked twice an hour, so a repair shows up soon,
    /// while 10% of 20,000 cameras down cost 6× fewer probes than at 300 s.
    /// A camera whose own interval is longer keeps its interval.
    public var maxBackoffInterval: Double
    /// Each scheduled start is delayed by a random [0, jitter) seconds. Default
    /// 2 s: below one probe's length and a fifth of a 10 s bucket, so the even
    /// spread stays even, yet cameras that share a slot (other interval groups,
    /// other instances, retries after a common outage) do not start in the same
    /// instant. Requests ("probe now") are not delayed.
    public var jitter: Double

    public init(
        maxConcurrentProbes: Int = 256,
        maxSessionsPerHost: Int = 2,
        sessionLimits: [String: Int] = [:],
        backoffFactor: Double = 2,
        maxBackoffInterval: Double = 1800,
        jitter: Double = 2
    ) {
        self.maxConcurrentProbes = maxConcurrentProbes
        self.maxSessionsPerHost = maxSessionsPerHost
        self.sessionLimits = sessionLimits
        self.backoffFactor = backoffFactor
        self.maxBackoffInterval = maxBackoffInterval
        self.jitter = jitter
    }

    public static let `default` = ProbeScheduleSettings()

    /// The session limit of `host`, at least 1.
    public func sessionLimit(for host: String) -> Int {
        max(1, sessionLimits[host] ?? maxSessionsPerHost)
    }

    /// The global limit, at least 1.
    var probeLimit: Int { max(1, maxConcurrentProbes) }

    // MARK: Sizing (Little's law)

    /// Probes in flight on average that keep `cameras` on their intervals:
    /// Little's law, L = λ·W, with λ = Σ 1/interval probes a second and W =
    /// `secondsPerProbe` each.
    public static func probesNeeded(for cameras: [ScheduledCamera], secondsPerProbe: Double) -> Double {
        cameras.reduce(0) { $0 + secondsPerProbe / $1.interval }
    }

    /// The global limit for `cameras`: ``probesNeeded(for:secondsPerProbe:)``
    /// × ``concurrencyHeadroom``, within ``sizedConcurrencyRange``.
    public static func sizedConcurrency(for cameras: [ScheduledCamera], secondsPerProbe: Double) -> Int {
        sizedConcurrency(probesNeeded: probesNeeded(for: cameras, secondsPerProbe: secondsPerProbe))
    }

    /// The global limit for `probesNeeded` probes in flight on average.
    public static func sizedConcurrency(probesNeeded: Double) -> Int {
        let needed = probesNeeded * concurrencyHeadroom
        let range = sizedConcurrencyRange
        guard needed.isFinite else { return range.upperBound }
        return min(range.upperBound, max(range.lowerBound, Int(needed.rounded(.up))))
    }

    /// ×1.5 over the average: probes are not spread perfectly (a restart, a
    /// recovery or a reload bunches them), dead cameras hold a session for the
    /// whole phase timeout instead of the usual ~2 s, and a region's sweep must
    /// finish within its interval, not just on average. With
    /// ``ProbeOptions/expectedSessionSeconds`` already allowing a second of
    /// handshake per probe (loopback measures 0.1 s), a region of 17,432 cameras
    /// every 300 s gets 262.
    public static let concurrencyHeadroom = 1.5

    /// At least 8 (a small fleet still probes in parallel when some cameras
    /// time out), at most 1,024 (a worker thread each; beyond that a second
    /// instance is the answer, see docs/deployment.md).
    public static let sizedConcurrencyRange = 8...1024

    /// Session keys whose cameras need more sessions at once, on average, than
    /// their limit allows: a recorder whose channels cannot all be probed on
    /// their intervals. Sorted by need, most overloaded first.
    public func overloadedSessionKeys(
        _ cameras: [ScheduledCamera], secondsPerProbe: Double
    ) -> [(key: String, needed: Double, limit: Int)] {
        var need: [String: Double] = [:]
        for camera in cameras { need[camera.sessionKey, default: 0] += secondsPerProbe / camera.interval }
        return need.compactMap { key, needed in
            let limit = sessionLimit(for: key)
            return needed > Double(limit) ? (key, needed, limit) : nil
        }.sorted { $0.needed / Double($0.limit) > $1.needed / Double($1.limit) }
    }

    /// Whole intervals to wait after the `streak`-th consecutive down:
    /// `interval × factor^streak`, capped at `max(maxBackoffInterval, interval)`
    /// and rounded down to whole intervals (at least one) so that a backed-off
    /// camera stays on its phase and the spread survives an outage. Growth
    /// stops after 64 steps, so a camera down for a year costs no more to
    /// schedule than one down for a day.
    func backoffIntervals(streak: Int, interval: Double) -> Double {
        let cap = max(maxBackoffInterval, interval)
        let factor = backoffFactor.isFinite ? max(1, backoffFactor) : 1
        var wait = interval
        var step = 0
        while step < min(streak, 64), wait < cap {
            wait *= factor
            step += 1
        }
        return max(1, (min(wait, cap) / interval).rounded(.down))
    }

    /// A jitter draw, [0, jitter).
    func jitter(using random: inout some RandomNumberGenerator) -> Double {
        guard jitter > 0, jitter.isFinite else { return 0 }
        return random.nextUnitInterval() * jitter
    }
}

/// The schedule's limits and rhythm. Every default is here, with its reason.
public struct ProbeScheduleSettings: Sendable, Equatable {
    /// Probes running at once, fleet-wide (network sessions; decoding is bounded
    /// separately by the prober). Default 256: by Little's law 20,000 cameras
    /// every 300 s with ~3 s per probe (2 s window plus connect and handshake)
    /// keep ~200 sessions open on average; the rest is headroom for slow and
    /// timing-out cameras. Values below 1 count as 1.
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

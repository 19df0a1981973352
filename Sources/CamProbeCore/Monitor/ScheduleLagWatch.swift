/// Tells when the schedule has fallen behind for good, and when it caught up:
/// a lag that lasts, not a moment's (a restart's first sweep, a burst of
/// requests). A value: the daemon feeds it the schedule's lag every few
/// seconds and reports each change once.
public struct ScheduleLagWatch: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// Behind by `lag` seconds since `since` (the schedule's clock).
        case fellBehind(lag: Double, since: Double)
        case caughtUp(since: Double)
    }

    /// Behind when the lag exceeds this many seconds …
    public let threshold: Double
    /// … for this long; on time again when it stays under half of it for as long.
    public let sustain: Double
    public private(set) var isBehind = false
    private var candidateSince: Double?

    /// Default threshold 60 s, sustained for twice as long. A probe may start up
    /// to the schedule's jitter (2 s) late, a recorder's channels wait for its
    /// two sessions, and a restart or a recovery bunches probes for a minute or
    /// so; a schedule late by a minute for two minutes will not catch up by itself.
    public static let defaultThreshold = 60.0

    /// Behind beyond `threshold` seconds for `2 × threshold`.
    public init(threshold: Double = ScheduleLagWatch.defaultThreshold) {
        self.threshold = max(1, threshold)
        self.sustain = 2 * self.threshold
    }

    /// The lag seen at `now`; a change to report, or nil.
    public mutating func observe(lag: Double, at now: Double) -> Change? {
        let beyond = isBehind ? lag >= threshold / 2 : lag > threshold
        guard beyond != isBehind else {
            candidateSince = nil
            return nil
        }
        let since = candidateSince ?? now
        candidateSince = since
        guard now - since >= sustain else { return nil }
        isBehind.toggle()
        candidateSince = nil
        return isBehind ? .fellBehind(lag: lag, since: since) : .caughtUp(since: since)
    }
}

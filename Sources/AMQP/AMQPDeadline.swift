import Glibc

/// A point in monotonic time, computed once from a timeout and passed down, so a loop of
/// waits never exceeds the caller's budget.
struct AMQPDeadline: Sendable {
    private let end: ContinuousClock.Instant

    init(seconds: Double) {
        end = .now + .nanoseconds(Int64(max(0, seconds) * 1e9))
    }

    static var now: AMQPDeadline { AMQPDeadline(seconds: 0) }

    var remaining: Double {
        let left = ContinuousClock.now.duration(to: end).components
        return max(0, Double(left.seconds) + Double(left.attoseconds) / 1e18)
    }

    var hasPassed: Bool { ContinuousClock.now >= end }

    /// What librabbitmq's `*_noblock` calls take: the time left, never negative.
    var timeval: timeval { Self.timeval(seconds: remaining) }

    static func timeval(seconds: Double) -> Glibc.timeval {
        let clamped = max(0, seconds)
        let whole = clamped.rounded(.down)
        return Glibc.timeval(tv_sec: Int(whole), tv_usec: Int((clamped - whole) * 1e6))
    }
}

/// Exponential backoff with full jitter ("Exponential Backoff And Jitter",
/// AWS Architecture Blog): attempt n waits a uniform random time in
/// [base·2ⁿ/2, base·2ⁿ], capped, so that many probers reconnecting to one
/// broker after its restart do not arrive together.
public struct Backoff: Sendable, Equatable {
    public var base: Double
    public var cap: Double

    public init(base: Double = 1, cap: Double = 60) {
        self.base = base
        self.cap = cap
    }

    /// Seconds to wait before attempt `attempt` (0: the first retry).
    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Double {
        let ceiling = min(cap, base * Double(1 << min(attempt, 30)))
        return Double.random(in: (ceiling / 2)...ceiling, using: &random)
    }
}

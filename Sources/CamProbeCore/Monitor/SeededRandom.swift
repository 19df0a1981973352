/// A small seeded random number generator (SplitMix64): the schedule's
/// jitter, and the tests' synthetic pictures and fuzz inputs. The same seed
/// gives the same numbers on every platform, which
/// `SystemRandomNumberGenerator` cannot.
///
/// Not for anything secret: it only blurs start times.
public struct SeededRandom: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// A uniform value in [0, 1) from the top 53 bits. Spelled out rather than
    /// `Double.random(in:using:)` so a seeded schedule stays the same whatever
    /// the standard library's implementation.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}

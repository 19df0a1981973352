// Shared by every harness (compiled into each by scripts/fuzz).

/// The fuzzer's input as an array (libFuzzer may pass a null pointer with size 0).
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// An invariant of the parser: a violation is reported to libFuzzer as a crash,
/// with the input saved as an artifact.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant violated: \(message())") }
}

/// How a camera's bytes arrive: in reads of sizes chosen from a seed, so that a
/// limit or a boundary is exercised however the bytes are split. Seed 0 means
/// one read for everything (what a fast local camera produces); otherwise reads
/// are mostly small (1–8 bytes), some up to 64, some a TCP segment (≤ 1460) and
/// a few anything up to what is left.
struct ReadSplitter {
    private var state: UInt64
    private let whole: Bool

    init(seed: UInt8) {
        whole = seed == 0
        state = 0x9E37_79B9_7F4A_7C15 &* (UInt64(seed) &+ 1)
    }

    /// The size of the next read, 1...remaining (remaining > 0).
    mutating func next(remaining: Int) -> Int {
        if whole { return remaining }
        let random = nextRandom()
        let limit: Int
        switch random % 20 {
        case 0..<10: limit = 8
        case 10..<16: limit = 64
        case 16..<19: limit = 1460
        default: limit = remaining
        }
        return 1 + Int((random >> 8) % UInt64(min(limit, remaining)))
    }

    /// SplitMix64.
    private mutating func nextRandom() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Whether `needle`'s UTF-8 bytes occur in `text`'s: what a reader of a log sees,
/// whatever Swift's grapheme clusters make of it.
func containsBytes(_ text: String, _ needle: String) -> Bool {
    let haystack = Array(text.utf8), pattern = Array(needle.utf8)
    guard !pattern.isEmpty, haystack.count >= pattern.count else { return false }
    return (0...(haystack.count - pattern.count)).contains { haystack[$0..<($0 + pattern.count)].elementsEqual(pattern) }
}

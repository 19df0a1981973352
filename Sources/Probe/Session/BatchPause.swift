/// How long the reader sleeps after it had to wait for the camera.
struct BatchPause {
    let enabled: Bool
    /// Longest pause: a tenth of the window, at most 0.25 s.
    let longest: Double
    /// Bytes one batch may gather: a fraction of a socket's default receive
    /// buffer (128 KiB), so the camera never has to hold data back.
    static let batchBytes = 64.0 * 1024

    init(live: Bool, window: Double) {
        enabled = live
        longest = min(0.25, window / 10)
    }

    /// Before the rate is known, a tenth of a second at most.
    func pause(byteRate: Double?) -> Double {
        guard enabled else { return 0 }
        guard let byteRate, byteRate > 0 else { return min(0.1, longest) }
        return max(0.01, min(longest, Self.batchBytes / byteRate))
    }
}

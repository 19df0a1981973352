/// The deadlines of one probe, computed once from the options when the probe
/// starts and passed down to the lowest layer (the FFmpeg interrupt callback and
/// the socket calls). Times are seconds on a monotonic clock.
public struct ProbeBudget: Sendable, Equatable {
    public let start: Double
    public let options: ProbeOptions

    public init(start: Double, options: ProbeOptions) {
        self.start = start
        self.options = options
    }

    /// The whole probe ends by here, whatever happens: every network phase may
    /// take its full timeout once (resolve, connect, handshake, first frame), then
    /// the window, then one stall bound. A camera that is slow in one phase and
    /// fast in the rest is measured; one that is slow everywhere is cut off.
    public var overall: Double {
        start + 2 * options.phaseTimeout + options.window + options.stallTimeout + 1
    }

    /// The deadline of a phase that starts at `now`.
    public func deadline(for phase: ProbePhase, startingAt now: Double) -> Double {
        switch phase {
        case .resolve, .connect, .handshake, .firstFrame:
            return min(now + options.phaseTimeout, overall)
        case .window:
            return min(now + options.window + options.stallTimeout, overall)
        case .decode:
            return overall
        }
    }

    /// How long without a frame counts as a stall, given the stream's median frame
    /// interval: a 1 fps camera is not stalled after one second of quiet.
    public func stallLimit(medianFrameInterval: Double?) -> Double {
        guard let interval = medianFrameInterval else { return options.stallTimeout }
        return max(options.stallTimeout, 4 * interval)
    }
}

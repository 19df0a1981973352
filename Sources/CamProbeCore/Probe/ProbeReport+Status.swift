/// The probe's own answer, before any compliance policy: is the stream alive
/// and is its picture alive?
public enum StreamStatus: String, Sendable, Codable, Comparable {
    case up
    case degraded
    case down

    private var rank: Int {
        switch self {
        case .up: return 0
        case .degraded: return 1
        case .down: return 2
        }
    }

    public static func < (lhs: StreamStatus, rhs: StreamStatus) -> Bool { lhs.rank < rhs.rank }
}

/// One reason a stream is not simply up: a stable code and a line of text.
public struct StatusReason: Sendable, Codable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

extension ProbeReport {
    /// `down` when the probe failed or the picture is dead (black, no signal,
    /// frozen): a stream that runs but shows nothing is not working.
    /// `degraded` when the picture is blurred or frames arrive with gaps.
    public var status: StreamStatus {
        reasons.map(\.severity).max() ?? .up
    }

    public var reasons: [(severity: StreamStatus, reason: StatusReason)] {
        if let failure {
            return [(.down, StatusReason(code: failure.qualifiedCode, message: failure.message))]
        }
        var result: [(StreamStatus, StatusReason)] = []
        for flag in picture?.flags ?? [] {
            switch flag {
            case .black:
                result.append((.down, StatusReason(code: "picture.black", message: "the picture is black (covered lens or dead camera)")))
            case .uniform:
                result.append((.down, StatusReason(code: "picture.uniform", message: "the picture is one flat colour (no signal from the camera)")))
            case .frozen:
                result.append((.down, StatusReason(code: "picture.frozen", message: "the picture is frozen: keyframes are identical")))
            case .blurred:
                result.append((.degraded, StatusReason(code: "picture.blurred", message: "the picture is blurred or out of focus")))
            }
        }
        if let timing = video?.timing, timing.gaps > 0 {
            let longest = timing.longestGap.map { String(Int(($0 * 1000).rounded())) + " ms" } ?? "?"
            result.append((.degraded, StatusReason(code: "stream.gaps", message: "\(timing.gaps) gap(s) between frames, longest \(longest)")))
        }
        return result
    }
}

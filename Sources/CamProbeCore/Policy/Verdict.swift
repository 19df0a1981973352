/// The policy's answer for one camera. Ordered: `up < degraded < down`.
public enum CameraState: String, Sendable, Codable, CaseIterable, Comparable {
    /// It works and complies (warnings and notes may still be listed).
    case up
    /// It works but does not comply with the profile's rules.
    case degraded
    /// It does not work: unreachable, no stream, or a dead picture.
    case down

    private var rank: Int {
        switch self {
        case .up: 0
        case .degraded: 1
        case .down: 2
        }
    }

    public static func < (lhs: CameraState, rhs: CameraState) -> Bool { lhs.rank < rhs.rank }

    /// The state that `reasons` add up to: down if any is a failure, else degraded if
    /// any is a violation, else up.
    public init(_ reasons: [Reason]) {
        switch reasons.map(\.severity).max() {
        case .failure: self = .down
        case .violation: self = .degraded
        case .warning, .info, nil: self = .up
        }
    }
}

/// What the policy decided about one camera from one round of probes, and why.
public struct Verdict: Sendable, Codable, Equatable {
    public let state: CameraState
    /// Most severe first; in the order given within one severity.
    public let reasons: [Reason]

    /// A verdict whose state follows from its reasons (see ``CameraState/init(_:)``).
    /// The reasons are ordered most severe first; the sort is stable, so the
    /// evaluator's rule order is kept within one severity.
    public init(reasons: [Reason]) {
        self.reasons = reasons.enumerated()
            .sorted { ($0.element.severity, $1.offset) > ($1.element.severity, $0.offset) }
            .map(\.element)
        self.state = CameraState(reasons)
    }

    /// `false` when a probe was cut short by the prober itself (`probe.cancelled`,
    /// e.g. at shutdown): the verdict then says nothing about the camera, and the
    /// daemon should keep the previous one rather than alert.
    public var isConclusive: Bool {
        !reasons.contains { $0.code == .probeCancelled }
    }

    /// The reasons with `code`.
    public func reasons(_ code: ReasonCode) -> [Reason] {
        reasons.filter { $0.code == code }
    }
}

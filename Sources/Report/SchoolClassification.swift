import CamProbeCore

/// How the report classes a camera and a school, as an inspection would.
///
/// A camera: `up` is compliant, `degraded` (it records but breaks a rule)
/// non-compliant, `down` not working, `unknown` not checked yet.
///
/// A school (the rule the report states):
/// - **not working** when more than half of its checked cameras are down;
/// - else **non-compliant** when any camera is down or degraded;
/// - else **compliant** when at least one camera was checked (all checked ones up);
/// - **not checked** when none was.
public enum Compliance: String, Sendable, Codable, CaseIterable {
    case compliant
    case nonCompliant = "non_compliant"
    case notWorking = "not_working"
    case unknown

    public init(camera state: MonitorState) {
        switch state {
        case .up: self = .compliant
        case .degraded: self = .nonCompliant
        case .down: self = .notWorking
        case .unknown: self = .unknown
        }
    }

    public init(school states: [MonitorState]) {
        let checked = states.filter { $0 != .unknown }
        let down = checked.filter { $0 == .down }.count
        if checked.isEmpty {
            self = .unknown
        } else if down * 2 > checked.count {
            self = .notWorking
        } else if checked.contains(where: { $0 != .up }) {
            self = .nonCompliant
        } else {
            self = .compliant
        }
    }
}

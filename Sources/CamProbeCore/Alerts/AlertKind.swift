/// What an alert route can ask for. An event that is none of these (a camera
/// change explained by its host, a snapshot) is not alerted.
public enum AlertKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// A camera went down (on its own: not covered by a host/school/prober outage).
    case down
    /// A camera became non-compliant (degraded).
    case degraded
    /// A camera came back (up after down or degraded).
    case recovered
    /// Most cameras of a DVR/NVR failed together, or it recovered.
    case host
    /// Most cameras of a school failed together, or it recovered.
    case school
    /// The prober's own network failed, or recovered.
    case prober
    /// A camera still down or degraded after the reminder period.
    case reminder

    /// The kind of `event`, or nil when it is not alerted.
    public init?(_ event: CloudEvent) {
        switch event.data {
        case let .camera(data):
            guard data.alerted else { return nil }
            if data.kind == .reminder {
                self = .reminder
                return
            }
            switch data.to {
            case .down: self = .down
            case .degraded: self = .degraded
            case .up where data.from == .down || data.from == .degraded: self = .recovered
            default: return nil
            }
        case let .group(data):
            switch data.level {
            case .host: self = .host
            case .school: self = .school
            case .prober: self = .prober
            }
        case .snapshot, .heartbeat, .schedule:
            // For the operations centre's systems (the queue), not for people.
            return nil
        }
    }

    public static func < (a: AlertKind, b: AlertKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How urgent an alert is: routes may ask for a minimum.
public enum AlertSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    /// Down (camera, host, school, prober) is critical; non-compliance and
    /// reminders are warnings; recoveries are news.
    public init(_ event: CloudEvent) {
        switch event.data {
        case let .camera(data):
            switch data.to {
            case .down: self = data.kind == .reminder ? .warning : .critical
            case .degraded: self = .warning
            default: self = .info
            }
        case let .group(data):
            self = data.state == .down ? .critical : .info
        case .snapshot, .heartbeat:
            self = .info
        case let .schedule(data):
            self = data.state == .behind ? .warning : .info
        }
    }

    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

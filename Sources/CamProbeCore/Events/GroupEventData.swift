import Foundation

/// `data` of host, school and prober events from the fleet guard.
public struct GroupEventData: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable, CaseIterable {
        case host, school, prober

        var type: EventType {
            switch self {
            case .host: .hostState
            case .school: .schoolState
            case .prober: .proberState
            }
        }
    }

    public var level: Level
    /// The host name, school name, or the prober instance.
    public var name: String
    /// `down` or `up` (recovered).
    public var state: MonitorState
    /// Where the group is: for a host or school, its cameras' region, district
    /// and school when they all share one (routing and filtering).
    public var region: String?
    public var district: String?
    public var school: String?
    /// The most common failure (down only).
    public var reason: StatusReasonText?
    public var failing: Int?
    public var probed: Int?
    /// Distinct hosts failing (prober only).
    public var hosts: Int?
    public var since: Date
    /// Cameras affected (down only), sorted.
    public var cameras: [String]

    public init(
        level: Level, name: String, state: MonitorState, region: String? = nil, district: String? = nil,
        school: String? = nil, reason: StatusReasonText? = nil, failing: Int? = nil, probed: Int? = nil,
        hosts: Int? = nil, since: Date, cameras: [String] = []
    ) {
        self.level = level
        self.name = name
        self.state = state
        self.region = region
        self.district = district
        self.school = school
        self.reason = reason
        self.failing = failing
        self.probed = probed
        self.hosts = hosts
        self.since = since
        self.cameras = cameras
    }
}

/// `data` of the periodic snapshot: every camera's state.
public struct SnapshotEventData: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var camera: String
        public var state: MonitorState
        public var since: Date?
        public var reasons: [String]
        public var affectedBy: String?

        public init(camera: String, state: MonitorState, since: Date?, reasons: [String], affectedBy: String?) {
            self.camera = camera
            self.state = state
            self.since = since
            self.reasons = reasons
            self.affectedBy = affectedBy
        }

        private enum CodingKeys: String, CodingKey {
            case camera, state, since, reasons
            case affectedBy = "affected_by"
        }
    }

    public var counts: [String: Int]
    public var cameras: [Entry]

    public init(cameras: [Entry]) {
        self.cameras = cameras
        var counts: [String: Int] = [:]
        for state in MonitorState.allCases { counts[state.rawValue] = 0 }
        for entry in cameras { counts[entry.state.rawValue, default: 0] += 1 }
        self.counts = counts
    }
}

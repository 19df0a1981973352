import Foundation

/// The published state of one camera, as the status socket, `camprobe status`
/// and metrics show it. A plain value read from the state store.
public struct CameraStatus: Sendable, Codable, Equatable {
    public var id: String
    public var region: String
    public var district: String
    public var school: String
    public var schoolBin: String?
    public var location: String?
    public var kind: CameraKind
    /// The DVR/NVR host (or the stream's host) the camera is reached through.
    public var host: String
    /// `unknown` until the first conclusive probe.
    public var state: MonitorState
    /// Since when the camera has been in `state`.
    public var since: Date?
    /// Reasons of the current verdict (codes and text in the configured language).
    public var reasons: [StatusReasonText]
    /// Set when the camera's failure is explained by its host, its school or the
    /// prober itself, and so not alerted on its own.
    public var affectedBy: String?
    public var flapping: Bool
    public var lastProbe: Date?
    /// Measured on the last probe, when it got that far.
    public var codec: String?
    public var width: Int?
    public var height: Int?
    public var frameRate: Double?
    /// The recorder's archive of this camera, when it has been measured.
    public var archive: ArchiveStatus?

    public init(
        id: String, region: String, district: String, school: String, schoolBin: String? = nil,
        location: String? = nil, kind: CameraKind = .digital, host: String, state: MonitorState = .unknown,
        since: Date? = nil, reasons: [StatusReasonText] = [], affectedBy: String? = nil, flapping: Bool = false,
        lastProbe: Date? = nil, codec: String? = nil, width: Int? = nil, height: Int? = nil, frameRate: Double? = nil,
        archive: ArchiveStatus? = nil
    ) {
        self.id = id
        self.region = region
        self.district = district
        self.school = school
        self.schoolBin = schoolBin
        self.location = location
        self.kind = kind
        self.host = host
        self.state = state
        self.since = since
        self.reasons = reasons
        self.affectedBy = affectedBy
        self.flapping = flapping
        self.lastProbe = lastProbe
        self.codec = codec
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.archive = archive
    }
}

/// A reason as published: its stable code, severity and text.
public struct StatusReasonText: Sendable, Codable, Equatable {
    public var code: String
    public var severity: String
    public var text: String

    public init(code: String, severity: String, text: String) {
        self.code = code
        self.severity = severity
        self.text = text
    }
}

/// One transition of a camera's published state, as kept in the history.
public struct StateTransition: Sendable, Codable, Equatable {
    public var camera: String
    public var from: MonitorState
    public var to: MonitorState
    public var at: Date
    public var reasons: [StatusReasonText]

    public init(camera: String, from: MonitorState, to: MonitorState, at: Date, reasons: [StatusReasonText]) {
        self.camera = camera
        self.from = from
        self.to = to
        self.at = at
        self.reasons = reasons
    }
}

extension CameraStatus {
    /// Region, district, school, id: the order ops staff read a list in, and
    /// the camera list's order. These fields come from the inventory.
    public static func listOrder(_ a: CameraStatus, _ b: CameraStatus) -> Bool {
        (a.region, a.district, a.school, a.id) < (b.region, b.district, b.school, b.id)
    }
}

/// Filters of the camera list (all optional; all given must match).
public struct CameraFilter: Sendable, Equatable, Codable {
    public var state: MonitorState?
    /// A reason code, e.g. `picture.frozen`.
    public var reason: String?
    public var region: String?
    public var district: String?
    public var school: String?
    public var host: String?

    public init(
        state: MonitorState? = nil, reason: String? = nil, region: String? = nil, district: String? = nil,
        school: String? = nil, host: String? = nil
    ) {
        self.state = state
        self.reason = reason
        self.region = region
        self.district = district
        self.school = school
        self.host = host
    }

    /// Whether no filter is set: every camera matches.
    public var matchesAll: Bool {
        state == nil && reason == nil && region == nil && district == nil && school == nil && host == nil
    }

    public func matches(_ camera: CameraStatus) -> Bool {
        if let state, camera.state != state { return false }
        if let reason, !camera.reasons.contains(where: { $0.code == reason }) { return false }
        if let region, camera.region != region { return false }
        if let district, camera.district != district { return false }
        if let school, camera.school != school && camera.schoolBin != school { return false }
        if let host, camera.host != host { return false }
        return true
    }
}

/// Counts for one region, district or school: the numbers an inspection reports.
public struct SummaryRow: Sendable, Codable, Equatable {
    public enum Level: String, Sendable, Codable, CaseIterable { case region, district, school }

    public var level: Level
    /// The region, district or school name.
    public var name: String
    /// The region (and district) it belongs to, for district and school rows.
    public var region: String?
    public var district: String?
    public var cameras: Int
    public var up: Int
    public var degraded: Int
    public var down: Int
    public var unknown: Int

    public init(level: Level, name: String, region: String? = nil, district: String? = nil, cameras: Int = 0,
                up: Int = 0, degraded: Int = 0, down: Int = 0, unknown: Int = 0) {
        self.level = level
        self.name = name
        self.region = region
        self.district = district
        self.cameras = cameras
        self.up = up
        self.degraded = degraded
        self.down = down
        self.unknown = unknown
    }

    /// Share of cameras in a state, in percent of the cameras with a known state.
    public func percent(_ count: Int) -> Double {
        let known = cameras - unknown
        return known > 0 ? Double(count) * 100 / Double(known) : 0
    }

    /// Rows for every region, district and school of `cameras`, sorted by name.
    public static func summarize(_ cameras: [CameraStatus], by level: Level) -> [SummaryRow] {
        var tally = SummaryTally(level)
        for camera in cameras { tally.add(camera) }
        return tally.rows
    }
}

/// Counts cameras into ``SummaryRow``s one status at a time, so a reader can
/// count a region's statuses where they are kept, without copying them first.
public struct SummaryTally {
    private struct Key: Hashable {
        var region: String
        var district: String?
        var school: String?
    }

    public let level: SummaryRow.Level
    private var counts: [Key: SummaryRow] = [:]

    public init(_ level: SummaryRow.Level) {
        self.level = level
    }

    public mutating func add(_ camera: borrowing CameraStatus) {
        let key: Key
        switch level {
        case .region: key = Key(region: camera.region)
        case .district: key = Key(region: camera.region, district: camera.district)
        case .school: key = Key(region: camera.region, district: camera.district, school: camera.school)
        }
        var row = counts.removeValue(forKey: key) ?? Self.row(level, camera)
        row.cameras += 1
        switch camera.state {
        case .up: row.up += 1
        case .degraded: row.degraded += 1
        case .down: row.down += 1
        case .unknown: row.unknown += 1
        }
        counts[key] = row
    }

    private static func row(_ level: SummaryRow.Level, _ camera: borrowing CameraStatus) -> SummaryRow {
        switch level {
        case .region: SummaryRow(level: .region, name: camera.region)
        case .district: SummaryRow(level: .district, name: camera.district, region: camera.region)
        case .school: SummaryRow(level: .school, name: camera.school, region: camera.region, district: camera.district)
        }
    }

    /// The rows, sorted by region, district and name.
    public var rows: [SummaryRow] {
        counts.values.sorted { ($0.region ?? "", $0.district ?? "", $0.name) < ($1.region ?? "", $1.district ?? "", $1.name) }
    }
}

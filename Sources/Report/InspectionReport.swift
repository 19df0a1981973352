import CamProbeCore
import Foundation

/// The inspection report: pure values computed by ``ReportBuilder`` from what
/// the store holds, rendered by ``ReportHTML``, ``ReportCSV`` or as JSON. Every
/// figure of a rendering comes from here; renderers compute nothing.
public struct InspectionReport: Sendable, Codable, Equatable {
    public var title: String
    public var periodName: String
    public var from: Date
    public var to: Date
    public var generatedAt: Date
    public var language: Language
    /// Organisations and cameras over the whole selection.
    public var totals: Tally
    /// By region, each with its districts.
    public var regions: [Area]
    /// Reasons behind the non-compliant and not-working cameras, most frequent first.
    public var reasons: [ReasonCount]
    /// Camera-time availability of the selection per day of the period.
    public var days: [DayAvailability]
    /// Camera-time availability over the whole period, percent; nil when nothing was observed.
    public var availabilityPercent: Double?
    public var schools: [School]
    /// Cameras whose latest picture this file does not carry (over the budget).
    public var snapshotsLeftOut = 0
    /// The bytes of pictures the file could carry; nil when it links them (live) or has none.
    public var snapshotBudgetBytes: Int?

    /// Counts of organisations and of cameras by class.
    public struct Tally: Sendable, Codable, Equatable {
        public var schools = Counts()
        public var cameras = Counts()
        public init() {}
    }

    public struct Counts: Sendable, Codable, Equatable {
        public var total = 0
        public var compliant = 0
        public var nonCompliant = 0
        public var notWorking = 0
        public var unknown = 0
        public init() {}

        public mutating func add(_ compliance: Compliance) {
            total += 1
            switch compliance {
            case .compliant: compliant += 1
            case .nonCompliant: nonCompliant += 1
            case .notWorking: notWorking += 1
            case .unknown: unknown += 1
            }
        }

        public func count(_ compliance: Compliance) -> Int {
            switch compliance {
            case .compliant: compliant
            case .nonCompliant: nonCompliant
            case .notWorking: notWorking
            case .unknown: unknown
            }
        }

        /// Share of `count` among the checked (known) ones, percent; nil when none was checked.
        public func percent(_ compliance: Compliance) -> Double? {
            let checked = total - unknown
            return checked > 0 ? Double(count(compliance)) * 100 / Double(checked) : nil
        }
    }

    /// A region or a district with its figures.
    public struct Area: Sendable, Codable, Equatable {
        public var name: String
        public var tally: Tally
        public var availabilityPercent: Double?
        /// A region's districts (empty for a district).
        public var districts: [Area]
    }

    public struct ReasonCount: Sendable, Codable, Equatable {
        public var code: String
        /// The reason in the report's language (its kind, not one camera's values).
        public var text: String
        public var severity: String
        /// Cameras with this reason.
        public var cameras: Int
    }

    public struct DayAvailability: Sendable, Codable, Equatable {
        /// The day's start.
        public var day: Date
        public var percent: Double?
    }

    public struct School: Sendable, Codable, Equatable {
        public var region: String
        public var district: String
        public var name: String
        public var bin: String?
        public var compliance: Compliance
        public var availabilityPercent: Double?
        public var cameras: [CameraRow]
    }

    public struct CameraRow: Sendable, Codable, Equatable {
        public var id: String
        public var location: String?
        public var kind: CameraKind
        public var state: MonitorState
        public var compliance: Compliance
        public var since: Date?
        public var reasons: [StatusReasonText]
        /// "1280×720, 25 fps, h264"; nil when nothing was measured.
        public var measured: String?
        /// "≥ 1920×1080, ≥ 25 fps"; nil when the profile is not known.
        public var required: String?
        public var availabilityPercent: Double?
        public var outages: [OutageRow]
        public var snapshot: SnapshotRef?
        /// The picture at the last state change, when it differs from the latest.
        public var changeSnapshot: SnapshotRef?
    }

    public struct OutageRow: Sendable, Codable, Equatable {
        public var from: Date
        public var to: Date
        public var durationSeconds: Double
        /// The reasons of the transition that began it (text in the stored language).
        public var reason: String?
        public var ongoing: Bool
    }

    /// A snapshot as a rendering shows it: inline bytes (a file that opens
    /// offline) or a path on the status socket (the live page).
    public struct SnapshotRef: Sendable, Codable, Equatable {
        public var takenAt: Date
        /// `data:image/jpeg;base64,…`, or `v1/cameras/ID/snapshot.jpg` (relative: it works behind a proxy's
        /// prefix); nil when the file carries only the time (CSV, or a file over its picture budget).
        public var source: String?
    }
}

extension InspectionReport {
    /// The report as JSON: ISO 8601 times, sorted keys, snake_case names (as the
    /// status API's documents).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }
}

import CamProbeCore
import Foundation
import Store

/// One camera as the report starts from it: its published status (names from
/// the inventory, state and reasons from the store) and its profile (for the
/// required values; nil when not known).
public struct ReportCamera: Sendable {
    public var status: CameraStatus
    public var profile: PolicyProfile?

    public init(status: CameraStatus, profile: PolicyProfile?) {
        self.status = status
        self.profile = profile
    }
}

/// Computes an ``InspectionReport`` from the store: reads once (timelines of the
/// selected cameras over the period, their snapshots), computes the rest as
/// values.
public struct ReportBuilder {
    /// How snapshots reach the page.
    public enum SnapshotMode: Sendable, Equatable {
        /// Inline `data:` URLs (the file opens offline), at most `budget` bytes of
        /// pictures in all, the evidence first (see ``inlineSnapshots(_:budget:)``);
        /// the others keep only when they were taken.
        case inline(budget: Int)
        /// Paths on the status socket: the live page loads them lazily.
        case socketPath
        /// Only when each was taken (CSV).
        case timesOnly
        case none
    }

    /// The pictures an HTML or JSON file carries by default, MiB: a district's
    /// cameras all fit (~1,600 × 18 KB); a region's file stays tens of MB, not
    /// the ~800 MB all 17,432 cameras' two pictures would make.
    public static let defaultSnapshotBudgetMiB = 32

    let store: StateStore
    let snapshots: SnapshotStore?
    let snapshotMode: SnapshotMode

    public init(store: StateStore, snapshots: SnapshotStore?, snapshotMode: SnapshotMode) {
        self.store = store
        self.snapshots = snapshots
        self.snapshotMode = snapshotMode
    }

    public func build(_ cameras: [ReportCamera], query: ReportQuery, now: Date = Date()) throws(StateStoreError) -> InspectionReport {
        let filter = query.filter
        let selected = cameras.filter { filter.matches($0.status) }
        let timelines = try store.timelines(cameras: selected.map(\.status.id), from: query.from, to: query.to)
        let current = query.to > now
        let rows = selected.map { camera in
            row(camera, transitions: timelines[camera.status.id] ?? [], query: query, now: now, current: current)
        }
        var report = InspectionReport(
            title: ReportText.title(query.language), periodName: query.periodName, from: query.from, to: query.to,
            generatedAt: now, language: query.language, totals: .init(), regions: [], reasons: [], days: [],
            availabilityPercent: nil, schools: [])
        report.schools = Self.schools(rows.map { ($0.camera.status, $0.row, $0.availability) })
        report.totals = Self.tally(report.schools)
        report.regions = Self.regions(report.schools, rows: rows)
        report.reasons = Self.reasons(report.schools, language: query.language)
        report.availabilityPercent = Availability.aggregate(rows.map(\.availability), from: query.from, to: query.to).percent
        report.days = Self.days(selected.map { timelines[$0.status.id] ?? [] }, ids: selected.map(\.status.id), query: query, now: now)
        if case let .inline(budget) = snapshotMode {
            report.snapshotsLeftOut = inlineSnapshots(&report.schools, budget: budget)
            report.snapshotBudgetBytes = budget
        }
        return report
    }

    typealias Computed = (camera: ReportCamera, row: InspectionReport.CameraRow, availability: Availability)

    private func row(
        _ camera: ReportCamera, transitions: [StateTransition], query: ReportQuery, now: Date, current: Bool
    ) -> Computed {
        let status = camera.status
        let availability = Availability(camera: status.id, transitions: transitions, from: query.from, to: query.to, now: now)
        var state = status.state
        var reasons = status.reasons
        var since = status.since
        if !current {
            // A past period: the state the history says the camera was in at its end.
            let last = transitions.last { $0.at < query.to }
            state = last?.to ?? .unknown
            reasons = last?.reasons ?? []
            since = last?.at
        }
        let outages = availability.outages.map { outage in
            let began = transitions.last { $0.to == .down && $0.at <= outage.start }
            return InspectionReport.OutageRow(
                from: outage.start, to: outage.end, durationSeconds: outage.duration,
                reason: began?.reasons.first?.text, ongoing: outage.ongoingAtEnd)
        }
        let latest = snapshot(status.id, .latest)
        let change = snapshot(status.id, .change)
        let row = InspectionReport.CameraRow(
            id: status.id, location: status.location, kind: status.kind, state: state, compliance: Compliance(camera: state),
            since: since, reasons: reasons.filter { $0.severity != Severity.info.rawValue || $0.code == ReasonCode.cameraAnalog.rawValue },
            measured: Self.measured(status), required: camera.profile.map { Self.required($0, language: query.language) },
            availabilityPercent: availability.percent, outages: outages, snapshot: latest,
            changeSnapshot: change?.takenAt == latest?.takenAt ? nil : change)
        return (camera, row, availability)
    }

    /// The picture's reference as the mode has it before any is read: a link
    /// (live), or its time alone (CSV; and inline, until ``inlineSnapshots(_:budget:)``).
    private func snapshot(_ camera: String, _ kind: SnapshotStore.Kind) -> InspectionReport.SnapshotRef? {
        guard let snapshots, snapshotMode != .none, let stored = snapshots.info(camera: camera, kind: kind) else { return nil }
        guard snapshotMode == .socketPath else { return .init(takenAt: stored.takenAt, source: nil) }
        let id = camera.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? camera
        let suffix = kind == .change ? "?kind=change" : ""
        return .init(takenAt: stored.takenAt, source: "v1/cameras/\(id)/snapshot.jpg\(suffix)")
    }

    static func measured(_ status: CameraStatus) -> String? {
        var parts: [String] = []
        if let width = status.width, let height = status.height { parts.append("\(width)×\(height)") }
        if let rate = status.frameRate { parts.append(String(format: "%.1f fps", rate).replacingOccurrences(of: ".0 fps", with: " fps")) }
        if let codec = status.codec { parts.append(codec) }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    static func required(_ profile: PolicyProfile, language: Language) -> String {
        let rate = profile.minFrameRate == profile.minFrameRate.rounded() ? String(Int(profile.minFrameRate)) : String(profile.minFrameRate)
        return "≥ \(profile.minWidth)×\(profile.minHeight), ≥ \(rate) fps, \(profile.codecs.joined(separator: "/"))"
    }
}

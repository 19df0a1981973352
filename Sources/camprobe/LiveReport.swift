import CamProbeCore
import Foundation
import Monitor
import Report
import StatusAPI
import Store

/// The report and the snapshots as the status socket serves them: the cameras
/// as the daemon sees them now, the history and snapshots from the store.
struct LiveReport: ReportSource {
    let monitor: Monitor
    let store: StateStore
    let snapshots: SnapshotStore?
    let language: Language

    func report(_ parameters: [String: String], format: ReportDocumentFormat) async throws -> [UInt8] {
        let range: (from: Date, to: Date, name: String)
        do {
            range = try ReportQuery.period(month: parameters["period"], from: parameters["from"], to: parameters["to"])
        } catch {
            throw StatusAPIError(.badRequest, code: "bad_parameter", error.description)
        }
        var language = self.language
        if let text = parameters["language"] {
            guard let chosen = Language(rawValue: text) else {
                throw StatusAPIError(.badRequest, code: "bad_parameter", "parameter 'language' must be ru, kk or en (got '\(text.prefix(40))')")
            }
            language = chosen
        }
        let query = ReportQuery(
            from: range.from, to: range.to, periodName: range.name, region: parameters["region"],
            district: parameters["district"], school: parameters["school"], language: language)
        let cameras = await monitor.camerasWithProfiles().map { ReportCamera(status: $0.status, profile: $0.profile) }
        let report = try ReportBuilder(store: store, snapshots: snapshots, snapshotMode: .socketPath).build(cameras, query: query)
        switch format {
        case .html: return Array(ReportHTML.render(report).utf8)
        case .json: return Array(try report.json())
        }
    }

    func snapshot(camera: String, atStateChange: Bool) async throws -> [UInt8]? {
        snapshots?.read(camera: camera, kind: atStateChange ? .change : .latest)?.jpeg
    }
}

import CamProbeCore
import Foundation

/// The per-school part of the page: districts as `<details>`, a table of cameras per school.
extension ReportHTML {
    static func schools(_ report: InspectionReport) -> String {
        let language = report.language
        let open = report.totals.cameras.total <= openDistrictsUpTo ? " open" : ""
        var html = "<section id=\"schools\"><h2>\(word("schools.by.district", language))</h2>"
        if report.snapshotsLeftOut > 0, let budget = report.snapshotBudgetBytes {
            let note = ReportText.word("snapshots.left_out", language)
                .replacingOccurrences(of: "{cameras}", with: String(report.snapshotsLeftOut))
                .replacingOccurrences(of: "{mib}", with: mebibytes(budget, language))
            html += "<p class=\"note\" id=\"snapshots-left-out\" data-cameras=\"\(report.snapshotsLeftOut)\">\(escape(note))</p>"
        }
        var index = 0
        while index < report.schools.count {
            let first = report.schools[index]
            var end = index
            while end < report.schools.count, report.schools[end].region == first.region, report.schools[end].district == first.district {
                end += 1
            }
            let group = report.schools[index..<end]
            html += "<details class=\"district\"\(open) data-district=\"\(escape(first.district))\"><summary>"
            html += "\(escape(first.region)) — \(escape(first.district)) (\(group.count))</summary>"
            for school in group { html += self.school(school, language: language) }
            html += "</details>"
            index = end
        }
        return html + "</section>"
    }

    private static func school(_ school: InspectionReport.School, language: Language) -> String {
        let bin = school.bin.map { " · \(word("bin", language)) \(escape($0))" } ?? ""
        var html = "<section class=\"school\" data-school=\"\(escape(school.name))\" data-class=\"\(school.compliance.rawValue)\">"
        html += "<h3>\(escape(school.name))\(bin) — <span class=\"c-\(school.compliance.rawValue)\">"
        html += "\(escape(ReportText.compliance(school.compliance, language)))</span>"
        html += school.availabilityPercent.map { " · \(word("availability", language)) \(percent($0, language))" } ?? ""
        html += "</h3><table class=\"cameras\"><tr><th>\(word("camera", language))</th><th>\(word("location", language))</th>"
        html += "<th>\(word("state", language))</th><th>\(word("measured", language)) / \(word("required", language))</th>"
        html += "<th>\(word("availability", language))</th><th>\(word("outages", language))</th><th>\(word("snapshot", language))</th></tr>"
        for camera in school.cameras { html += self.camera(camera, language: language) }
        return html + "</table></section>"
    }

    private static func camera(_ camera: InspectionReport.CameraRow, language: Language) -> String {
        var html = "<tr class=\"camera\" data-camera=\"\(escape(camera.id))\" data-state=\"\(camera.state.rawValue)\">"
        html += "<td>\(escape(camera.id))</td><td>\(escape(camera.location ?? ""))</td>"
        html += "<td class=\"c-\(camera.compliance.rawValue)\">\(escape(ReportText.state(camera.state, language)))"
        for reason in camera.reasons { html += "<br><small>\(escape(reason.text))</small>" }
        html += "</td><td>\(escape(camera.measured ?? "—"))<br><small>\(escape(camera.required ?? "—"))</small></td>"
        html += "<td class=\"n\">\(camera.availabilityPercent.map { percent($0, language) } ?? "—")</td><td>"
        html += camera.outages.isEmpty ? word("none", language) : camera.outages.map { outage(in: $0, language) }.joined(separator: "<br>")
        html += "</td><td class=\"snapshot\">"
        if let snapshot = camera.snapshot {
            html += picture(snapshot, camera: camera.id, class: "snapshot", language: language)
            html += "<small>\(time(snapshot.takenAt))</small>"
        } else {
            html += "<span class=\"no-snapshot\">\(word("snapshot.none", language))</span>"
        }
        if let change = camera.changeSnapshot, change.source != nil {
            html += picture(change, camera: camera.id, class: "snapshot change", language: language)
            html += "<small>\(word("snapshot.change", language)): \(time(change.takenAt))</small>"
        }
        return html + "</td></tr>"
    }

    /// "32", "0,5" (ru, kk) or "0.5" (en).
    static func mebibytes(_ bytes: Int, _ language: Language) -> String {
        let text = String(format: "%g", (Double(bytes) / 1_048_576 * 10).rounded() / 10)
        return language == .en ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    /// The picture, or (a file over its picture budget) a word that it is not in this file.
    private static func picture(_ snapshot: InspectionReport.SnapshotRef, camera: String, class name: String, language: Language) -> String {
        guard let source = snapshot.source else {
            return "<span class=\"snapshot-left-out\">\(word("snapshot.left_out", language))</span> "
        }
        return "<img class=\"\(name)\" loading=\"lazy\" alt=\"\(escape(camera))\" src=\"\(escape(source))\">"
    }

    private static func outage(in outage: InspectionReport.OutageRow, _ language: Language) -> String {
        var text = "\(word("from", language)) \(time(outage.from)) \(word("to", language)) "
        text += outage.ongoing ? word("ongoing", language) : time(outage.to)
        text += " (\(duration(outage.durationSeconds)))"
        if let reason = outage.reason { text += " — \(escape(reason))" }
        return "<span class=\"outage\">\(text)</span>"
    }
}

import CamProbeCore
import Foundation
import StatusAPI

/// The readable tables of `camprobe status`. Columns are aligned by character
/// count, so Cyrillic and Kazakh names line up in a terminal; numbers are
/// right-aligned, percentages have one decimal.
enum StatusTable {
    enum Alignment { case left, right }

    // MARK: cameras

    static func cameras(_ list: CameraList) -> String {
        guard !list.cameras.isEmpty else { return "no cameras match\n" }
        let showRegion = Set(list.cameras.map(\.region)).count > 1
        var header = ["CAMERA", "DISTRICT", "SCHOOL", "LOCATION", "HOST", "STATE", "SINCE", "REASONS"]
        if showRegion { header.insert("REGION", at: 1) }
        var rows = [header]
        for camera in list.cameras {
            var row = [
                camera.id, camera.district, clip(camera.school, 48), camera.location ?? "-", camera.host,
                state(camera), camera.since.map(time) ?? "-", reasons(camera),
            ]
            if showRegion { row.insert(camera.region, at: 1) }
            rows.append(row)
        }
        return layout(rows) + "\(count(list.count, "camera"))\n"
    }

    // MARK: camera ID

    static func camera(_ detail: CameraDetail) -> String {
        let camera = detail.status
        var fields: [(String, String)] = [
            ("camera", camera.id), ("region", camera.region), ("district", camera.district),
            ("school", camera.school + (camera.schoolBin.map { " (BIN \($0))" } ?? "")),
            ("location", camera.location ?? "-"), ("host", camera.host), ("kind", camera.kind.rawValue),
            ("state", state(camera) + (camera.since.map { " since \(time($0))" } ?? "")),
        ]
        if let affectedBy = camera.affectedBy { fields.append(("affected by", affectedBy)) }
        for (index, reason) in camera.reasons.enumerated() {
            fields.append((index == 0 ? "reasons" : "", "\(reason.text) [\(reason.code), \(reason.severity)]"))
        }
        fields.append(("last probe", camera.lastProbe.map(time) ?? "-"))
        if let report = detail.lastReport { fields.append(("measured", measured(report))) }
        if let archive = camera.archive { fields.append(("archive", Self.archive(archive))) }
        var out = layout(fields.map { [$0.0, $0.1] })
        if !detail.history.isEmpty {
            var rows = [["AT", "FROM", "TO", "REASONS"]]
            for change in detail.history {
                let text = change.reasons.map(\.text).joined(separator: "; ")
                rows.append([time(change.at), change.from.rawValue, change.to.rawValue, text.isEmpty ? "-" : text])
            }
            out += "\nHISTORY\n" + layout(rows)
        }
        return out
    }

    /// The recorder's archive of the camera, in one line.
    static func archive(_ archive: ArchiveStatus) -> String {
        var parts: [String] = []
        if let failure = archive.failure {
            parts.append("not measured: \(failure)")
        } else if let days = archive.days {
            parts.append(String(format: "%.1f days", days))
            if let earliest = archive.earliest { parts.append("from \(time(earliest))") }
            parts.append(archive.gaps.isEmpty ? "no holes" : "\(archive.gaps.count) holes, " + archive.gaps.map { "\(time($0.from))…\(time($0.to))" }.joined(separator: ", "))
        }
        if let offset = archive.clockOffset { parts.append("recorder clock \(Int(offset)) s") }
        parts.append("measured \(time(archive.measuredAt)) by \(archive.method ?? "none")")
        return parts.joined(separator: ", ")
    }

    /// What the last probe saw, in one line.
    static func measured(_ report: ProbeReport) -> String {
        if let failure = report.failure { return "\(failure.qualifiedCode): \(failure.message)" }
        guard let video = report.video else { return "-" }
        var parts = [video.codec]
        if let width = video.width, let height = video.height { parts.append("\(width)x\(height)") }
        if let fps = video.timing.frameRate { parts.append(String(format: "%.2f fps", fps)) }
        if let gop = video.timing.keyframeInterval { parts.append(String(format: "keyframe every %.2f s", gop)) }
        if let bitrate = video.timing.bitrate { parts.append("\(Int((bitrate / 1000).rounded())) kbit/s") }
        return parts.joined(separator: ", ")
    }

    // MARK: summary

    static func summary(_ document: SummaryDocument) -> String {
        guard !document.rows.isEmpty else { return "no cameras match\n" }
        let showRegion = document.by == .region || Set(document.rows.compactMap(\.region)).count > 1
        var names: [String] = []
        if showRegion { names.append("REGION") }
        if document.by != .region { names.append("DISTRICT") }
        if document.by == .school { names.append("SCHOOL") }
        let figures = ["CAMERAS", "UP", "DEGRADED", "DOWN", "UNKNOWN", "UP %", "DEGRADED %", "DOWN %", "NOT UP %"]
        var rows = [names + figures]
        func place(_ entry: SummaryEntry) -> [String] {
            var cells: [String] = []
            if showRegion { cells.append(document.by == .region ? entry.name ?? "" : entry.region ?? "") }
            if document.by == .district { cells.append(entry.name ?? "") }
            if document.by == .school { cells += [entry.district ?? "", clip(entry.name ?? "", 48)] }
            return cells
        }
        func numbers(_ entry: SummaryEntry) -> [String] {
            let counts = [entry.cameras, entry.up, entry.degraded, entry.down, entry.unknown].map(String.init)
            // No camera probed yet: a share of nothing is not 0%.
            guard entry.cameras > entry.unknown else { return counts + Array(repeating: "-", count: 4) }
            return counts + [entry.upPercent, entry.degradedPercent, entry.downPercent, entry.notUpPercent].map(percent)
        }
        for entry in document.rows { rows.append(place(entry) + numbers(entry)) }
        var total = [String](repeating: "", count: names.count)
        total[0] = "total"
        rows.append(total + numbers(document.total))
        let alignments = names.map { _ in Alignment.left } + figures.map { _ in Alignment.right }
        return layout(rows, alignments: alignments)
    }

    // MARK: cells

    static func percent(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func state(_ camera: CameraStatus) -> String {
        camera.state.rawValue + (camera.flapping ? " (flapping)" : "")
    }

    private static func reasons(_ camera: CameraStatus) -> String {
        var parts = camera.reasons.map(\.text)
        if let affectedBy = camera.affectedBy { parts.insert("affected by \(affectedBy)", at: 0) }
        return parts.isEmpty ? "-" : parts.joined(separator: "; ")
    }

    /// Local time to the minute: what an operator compares with the wall clock.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        let (days, hours, minutes) = (total / 86400, total % 86400 / 3600, total % 3600 / 60)
        if days > 0 { return "up \(days) d \(hours) h" }
        if hours > 0 { return "up \(hours) h \(minutes) min" }
        if minutes > 0 { return "up \(minutes) min" }
        return "up \(total) s"
    }

    private static func clip(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// Columns two spaces apart, widths by character count; the last column is
    /// not padded when left-aligned.
    static func layout(_ rows: [[String]], alignments: [Alignment] = []) -> String {
        guard let columns = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < columns { widths[index] = max(widths[index], cell.count) }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() where index < columns {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                let alignment = index < alignments.count ? alignments[index] : .left
                if index > 0 { line += "  " }
                line += alignment == .right ? padding + cell : (index == columns - 1 ? cell : cell + padding)
            }
            out += line + "\n"
        }
        return out
    }
}

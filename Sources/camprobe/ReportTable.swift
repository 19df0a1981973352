import CamProbeCore
import Foundation

/// The human-readable table of `camprobe probe`.
enum ReportTable {
    static func render(_ reports: [ProbeReport]) -> String {
        let header = ["CAMERA", "STATUS", "CODEC", "RESOLUTION", "FPS", "GOP", "KBIT/S", "PICTURE", "REASON"]
        var rows: [[String]] = [header]
        for report in reports {
            let video = report.video
            let timing = video?.timing
            let resolution = video.flatMap { v in v.width.map { "\($0)x\(v.height ?? 0)" } } ?? "-"
            var fps = timing?.frameRate.map { format($0, digits: 2) } ?? "-"
            if let declared = video?.declaredFrameRate, abs(declared - (timing?.frameRate ?? declared)) > 0.5 {
                fps += " (declared \(format(declared, digits: 2)))"
            }
            let gop = timing?.keyframeInterval.map { "\(format($0, digits: 2))s/\(timing?.keyframeIntervalFrames ?? 0)" } ?? "-"
            let bitrate = timing?.bitrate.map { String(Int(($0 / 1000).rounded())) } ?? "-"
            let picture: String
            if let p = report.picture {
                picture = p.flags.isEmpty ? "ok (Y \(Int(p.statistics.meanLuma.rounded())))" : p.flags.map(\.rawValue).joined(separator: ",")
            } else {
                picture = "-"
            }
            let reason = report.reasons.map { "\($0.reason.code): \($0.reason.message)" }.joined(separator: "; ")
            rows.append([
                report.target, report.status.rawValue, video?.codec ?? "-", resolution, fps, gop, bitrate, picture,
                reason.isEmpty ? "-" : reason,
            ])
        }
        return layout(rows)
    }

    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// Left-aligned columns two spaces apart; the last column is not padded.
    static func layout(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for row in rows {
            for (i, cell) in row.enumerated() {
                out += cell
                if i < columns - 1 { out += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            out += "\n"
        }
        return out
    }
}

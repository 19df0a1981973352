import CamProbeCore
import Foundation

/// The report for spreadsheets as they are opened in Kazakhstan: UTF-8 with a
/// byte-order mark (Excel then reads Cyrillic right), `;` between fields (the
/// comma is the decimal separator there), CRLF line ends, RFC 4180 quoting. One
/// row per school (`record` = `school`) and one per camera (`camera`), under
/// one header.
public enum ReportCSV {
    public static let byteOrderMark = "\u{FEFF}"

    static let header = [
        "record", "region", "district", "school", "bin", "camera", "location", "class", "state", "reasons", "measured",
        "required", "availability_percent", "cameras", "outages", "outage_minutes", "snapshot_taken_at",
    ]

    public static func render(_ report: InspectionReport) -> String {
        var lines = [line(header)]
        let language = report.language
        for school in report.schools {
            lines.append(line([
                "school", school.region, school.district, school.name, school.bin ?? "", "", "",
                ReportText.compliance(school.compliance, language), "", "", "", "", number(school.availabilityPercent, language),
                String(school.cameras.count), String(school.cameras.reduce(0) { $0 + $1.outages.count }),
                String(school.cameras.reduce(0) { $0 + minutes($1.outages) }), "",
            ]))
            for camera in school.cameras {
                lines.append(line([
                    "camera", school.region, school.district, school.name, school.bin ?? "", camera.id, camera.location ?? "",
                    ReportText.compliance(camera.compliance, language), camera.state.rawValue,
                    camera.reasons.map(\.text).joined(separator: " | "), camera.measured ?? "", camera.required ?? "",
                    number(camera.availabilityPercent, language), "1", String(camera.outages.count),
                    String(minutes(camera.outages)), camera.snapshot.map { iso8601.format($0.takenAt) } ?? "",
                ]))
            }
        }
        return byteOrderMark + lines.joined()
    }

    /// "2026-11-30T08:15:00Z" (a formatter per row cost most of a region's CSV).
    static let iso8601 = Date.ISO8601FormatStyle()

    private static func minutes(_ outages: [InspectionReport.OutageRow]) -> Int {
        Int((outages.reduce(0) { $0 + $1.durationSeconds } / 60).rounded())
    }

    /// "98,5" (the decimal comma of ru/kk; a point in English); empty when unknown.
    private static func number(_ value: Double?, _ language: Language) -> String {
        guard let value else { return "" }
        let text = String(format: "%.2f", value)
        return language == .en ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ";") + "\r\n"
    }

    /// Quoted when it holds `;`, `"`, a line break, or starts with a character a
    /// spreadsheet would read as a formula (`=`, `+`, `-`, `@`): camera-supplied
    /// text never becomes a formula.
    static func field(_ text: String) -> String {
        var text = text
        if let first = text.utf8.first, formulaStart.contains(first) { text = "'" + text }
        // The characters that force quotes are ASCII: their UTF-8 bytes say it (no grapheme breaking).
        let special = text.utf8.contains { quoted.contains($0) }
        let padded = [text.unicodeScalars.first, text.unicodeScalars.last].contains { $0.map(CharacterSet.whitespaces.contains) ?? false }
        guard special || padded else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static let formulaStart: Set<UInt8> = Set("=+-@".utf8)
    private static let quoted: Set<UInt8> = Set(";\"\n\r".utf8)
}

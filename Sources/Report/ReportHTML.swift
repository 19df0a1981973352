import CamProbeCore
import Foundation

/// The report as one self-contained HTML file: inline CSS and SVG, snapshots
/// inline (or as socket paths on the live page), no script. Districts are
/// collapsible (`<details>`), closed by default in a large report so the first
/// screen holds the figures and charts, not 17,000 rows; printing (A4) opens them.
public enum ReportHTML {
    /// Reports with more cameras than this start with their districts closed.
    public static let openDistrictsUpTo = 300

    public static func render(_ report: InspectionReport) -> String {
        let language = report.language
        var html = "<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>\(escape(report.title)) — \(escape(report.periodName))</title><style>\(style)</style></head><body>"
        html += "<header><h1>\(escape(report.title))</h1><p class=\"period\">\(word("period", language)): "
        html += "<span id=\"period\">\(escape(report.periodName))</span> · \(word("generated", language)): \(time(report.generatedAt))</p></header>"
        html += totals(report)
        html += "<section id=\"rule\"><h2>\(word("rule", language))</h2><p>\(word("rule.text", language))</p></section>"
        html += "<section id=\"charts\"><h2>\(word("by.district", language))</h2>\(ReportSVG.districts(report))"
        html += "<h2>\(word("availability.day", language))</h2>\(ReportSVG.days(report))"
        html += "<h2>\(word("reasons", language))</h2>\(ReportSVG.reasons(report))</section>"
        html += areas(report) + reasons(report) + schools(report)
        return html + "</body></html>\n"
    }

    static let style = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;margin:16px;color:#222}
        h1{font-size:20px}h2{font-size:16px;margin-top:20px}h3{font-size:14px;margin:12px 0 4px}
        table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
        td.n{text-align:right}.c-compliant{color:#2e7d32}.c-non_compliant{color:#b26a00}.c-not_working{color:#c62828}
        .c-unknown{color:#757575}img.snapshot{width:160px;height:auto;display:block}small{color:#555}
        details.district{margin:6px 0}details.district>summary{cursor:pointer;font-weight:bold;font-size:14px}
        svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}p.note{color:#555}.snapshot-left-out{color:#757575;font-size:11px}
        @page{size:A4;margin:12mm}
        @media print{body{margin:0;font-size:10px}details.district::details-content{content-visibility:visible;display:block}
        section.school{break-inside:avoid}table{page-break-inside:auto}tr{break-inside:avoid}img.snapshot{width:120px}
        h2{break-after:avoid}}
        """

    static func word(_ key: String, _ language: Language) -> String { escape(ReportText.word(key, language)) }

    private static func totals(_ report: InspectionReport) -> String {
        let language = report.language
        var html = "<section id=\"totals\"><table class=\"totals\"><tr><th></th><th>\(word("total", language))</th>"
        for compliance in Compliance.allCases { html += "<th>\(escape(ReportText.compliance(compliance, language)))</th>" }
        html += "</tr>"
        for (key, counts) in [("schools", report.totals.schools), ("cameras", report.totals.cameras)] {
            html += "<tr data-row=\"\(key)\"><th>\(word(key == "schools" ? "organisations" : "cameras", language))</th>"
            html += "<td class=\"n\" data-class=\"total\">\(counts.total)</td>"
            for compliance in Compliance.allCases {
                let share = counts.percent(compliance).map { " (\(percent($0, language)))" } ?? ""
                html += "<td class=\"n c-\(compliance.rawValue)\" data-class=\"\(compliance.rawValue)\">\(counts.count(compliance))\(share)</td>"
            }
            html += "</tr>"
        }
        let availability = report.availabilityPercent.map { percent($0, language) } ?? "—"
        return html + "</table><p>\(word("availability", language)): <b id=\"availability\">\(availability)</b></p></section>"
    }

    private static func areas(_ report: InspectionReport) -> String {
        let language = report.language
        var html = "<section id=\"areas\"><table><tr><th>\(word("region", language)) / \(word("district", language))</th>"
        html += "<th>\(word("organisations", language))</th>"
        for compliance in Compliance.allCases { html += "<th>\(escape(ReportText.compliance(compliance, language)))</th>" }
        html += "<th>\(word("cameras", language))</th><th>\(word("availability", language))</th></tr>"
        for region in report.regions {
            html += areaRow(region, level: "region", language: language)
            for district in region.districts { html += areaRow(district, level: "district", language: language) }
        }
        return html + "</table></section>"
    }

    private static func areaRow(_ area: InspectionReport.Area, level: String, language: Language) -> String {
        let name = level == "region" ? "<b>\(escape(area.name))</b>" : "&nbsp;&nbsp;\(escape(area.name))"
        var html = "<tr class=\"area\" data-level=\"\(level)\" data-name=\"\(escape(area.name))\"><td>\(name)</td>"
        html += "<td class=\"n\">\(area.tally.schools.total)</td>"
        for compliance in Compliance.allCases {
            html += "<td class=\"n c-\(compliance.rawValue)\">\(area.tally.schools.count(compliance))</td>"
        }
        html += "<td class=\"n\">\(area.tally.cameras.total)</td>"
        return html + "<td class=\"n\">\(area.availabilityPercent.map { percent($0, language) } ?? "—")</td></tr>"
    }

    private static func reasons(_ report: InspectionReport) -> String {
        let language = report.language
        var html = "<section id=\"reasons\"><h2>\(word("reasons", language))</h2><table>"
        html += "<tr><th>\(word("reasons", language))</th><th>\(word("cameras", language))</th></tr>"
        for reason in report.reasons {
            html += "<tr class=\"reason\" data-code=\"\(escape(reason.code))\"><td>\(escape(reason.text))</td><td class=\"n\">\(reason.cameras)</td></tr>"
        }
        if report.reasons.isEmpty { html += "<tr><td colspan=\"2\">\(word("none", language))</td></tr>" }
        return html + "</table></section>"
    }
}

extension ReportHTML {
    public static func escape(_ text: String) -> String {
        // Most text (and every base64 picture) needs nothing: its UTF-8 bytes say so.
        guard text.utf8.contains(where: { $0 < 0x20 || escaped.contains($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters never reach the page.
                if character.value < 0x20, character != "\n", character != "\t" { continue }
                out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private static let escaped: Set<UInt8> = Set("&<>\"'".utf8)

    /// "98,5 %" in Russian and Kazakh, "98.5%" in English.
    static func percent(_ value: Double, _ language: Language) -> String {
        let text = String(format: "%.1f", value)
        return language == .en ? text + "%" : text.replacingOccurrences(of: ".", with: ",") + " %"
    }

    static func time(_ date: Date) -> String {
        let c = ReportQuery.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// Hours and minutes: "26:05".
    static func duration(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded())
        return String(format: "%d:%02d", minutes / 60, minutes % 60)
    }
}

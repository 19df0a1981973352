import CamProbeCore
import Foundation

/// The report's charts as inline SVG: no script, no external file, prints as
/// vectors.
enum ReportSVG {
    static let colours: [Compliance: String] = [
        .compliant: "#2e7d32", .nonCompliant: "#f9a825", .notWorking: "#c62828", .unknown: "#9e9e9e",
    ]

    /// Schools of each district by class, one stacked bar per district.
    static func districts(_ report: InspectionReport) -> String {
        let areas = report.regions.flatMap(\.districts)
        let rowHeight = 22, labelWidth = 260, barWidth = 420
        let height = max(1, areas.count) * rowHeight + 30
        var svg = open("districts", width: labelWidth + barWidth + 60, height: height, title: ReportText.word("by.district", report.language))
        for (index, area) in areas.enumerated() {
            let y = index * rowHeight
            svg += text(x: labelWidth - 6, y: y + 15, anchor: "end", area.name)
            var x = Double(labelWidth)
            let total = max(1, area.tally.schools.total)
            for compliance in Compliance.allCases {
                let count = area.tally.schools.count(compliance)
                guard count > 0 else { continue }
                let width = Double(barWidth) * Double(count) / Double(total)
                svg += "<rect x=\"\(fmt(x))\" y=\"\(y + 3)\" width=\"\(fmt(width))\" height=\"16\" fill=\"\(colours[compliance]!)\">"
                svg += "<title>\(ReportHTML.escape(ReportText.compliance(compliance, report.language))): \(count)</title></rect>"
                x += width
            }
            svg += text(x: labelWidth + barWidth + 6, y: y + 15, anchor: "start", "\(area.tally.schools.total)")
        }
        svg += legend(y: areas.count * rowHeight + 8, language: report.language)
        return svg + "</svg>"
    }

    /// Camera-time availability per day, one bar per day.
    static func days(_ report: InspectionReport) -> String {
        let barWidth = 18, chartHeight = 120, left = 40
        let width = left + max(1, report.days.count) * barWidth + 10
        var svg = open("availability", width: width, height: chartHeight + 40, title: ReportText.word("availability.day", report.language))
        for percent in [0, 50, 100] {
            let y = chartHeight - chartHeight * percent / 100 + 5
            svg += "<line x1=\"\(left)\" x2=\"\(width - 5)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#ddd\"/>"
            svg += text(x: left - 4, y: y + 4, anchor: "end", "\(percent)%")
        }
        let calendar = ReportQuery.calendar
        for (index, day) in report.days.enumerated() {
            let x = left + index * barWidth + 2
            let dayNumber = calendar.component(.day, from: day.day)
            if let percent = day.percent {
                let height = Double(chartHeight) * percent / 100
                let colour = percent >= 99 ? colours[.compliant]! : (percent >= 90 ? colours[.nonCompliant]! : colours[.notWorking]!)
                svg += "<rect x=\"\(x)\" y=\"\(fmt(Double(chartHeight) - height + 5))\" width=\"\(barWidth - 4)\" height=\"\(fmt(height))\" fill=\"\(colour)\">"
                svg += "<title>\(ReportQuery.dayText(day.day)): \(ReportHTML.percent(percent, report.language))</title></rect>"
            }
            svg += text(x: x + (barWidth - 4) / 2, y: chartHeight + 20, anchor: "middle", "\(dayNumber)")
        }
        return svg + "</svg>"
    }

    /// Cameras per reason, one bar each, most frequent first.
    static func reasons(_ report: InspectionReport) -> String {
        let rowHeight = 22, labelWidth = 300, barWidth = 360
        let height = max(1, report.reasons.count) * rowHeight + 10
        var svg = open("reasons", width: labelWidth + barWidth + 60, height: height, title: ReportText.word("reasons", report.language))
        let most = max(1, report.reasons.first?.cameras ?? 1)
        for (index, reason) in report.reasons.enumerated() {
            let y = index * rowHeight
            let width = Double(barWidth) * Double(reason.cameras) / Double(most)
            svg += text(x: labelWidth - 6, y: y + 15, anchor: "end", reason.text)
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(fmt(width))\" height=\"16\" fill=\"#5c6bc0\"/>"
            svg += text(x: labelWidth + Int(width) + 6, y: y + 15, anchor: "start", "\(reason.cameras)")
        }
        return svg + "</svg>"
    }

    private static func open(_ name: String, width: Int, height: Int, title: String) -> String {
        "<svg class=\"chart\" data-chart=\"\(name)\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
            + "viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\"><title>\(ReportHTML.escape(title))</title>"
    }

    private static func legend(y: Int, language: Language) -> String {
        var svg = ""
        for (index, compliance) in Compliance.allCases.enumerated() {
            let x = index * 160
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"12\" height=\"12\" fill=\"\(colours[compliance]!)\"/>"
            svg += text(x: x + 16, y: y + 11, anchor: "start", ReportText.compliance(compliance, language))
        }
        return svg
    }

    private static func text(x: Int, y: Int, anchor: String, _ content: String) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\" font-size=\"12\">\(ReportHTML.escape(content))</text>"
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}

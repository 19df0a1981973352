import CamProbeCore
import Foundation

/// What a report covers: a period `[from, to)`, the cameras (filters by region,
/// district and school, all optional) and the language it is written in.
public struct ReportQuery: Sendable, Equatable {
    public var from: Date
    public var to: Date
    /// The period as the reader asked for it ("2026-11"), for the title.
    public var periodName: String
    public var region: String?
    public var district: String?
    /// A school's name or BIN.
    public var school: String?
    public var language: Language

    public init(
        from: Date, to: Date, periodName: String, region: String? = nil, district: String? = nil, school: String? = nil,
        language: Language = .ru
    ) {
        self.from = from
        self.to = to
        self.periodName = periodName
        self.region = region
        self.district = district
        self.school = school
        self.language = language
    }

    public var filter: CameraFilter { CameraFilter(region: region, district: district, school: school) }

    /// Why a period could not be read, in one line.
    public struct PeriodError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The calendar the periods are read in: the machine's time zone (the
    /// region's: a report is read where it is made).
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        return calendar
    }

    /// `--period YYYY-MM`, or `--from`/`--to` as `YYYY-MM-DD` (to inclusive), or
    /// nothing: the current month up to now.
    public static func period(month: String?, from: String?, to: String?, now: Date = Date()) throws(PeriodError) -> (from: Date, to: Date, name: String) {
        let calendar = Self.calendar
        if let month {
            guard from == nil, to == nil else { throw PeriodError(description: "give either --period or --from/--to, not both") }
            let parts = month.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let number = Int(parts[1]),
                  (1...12).contains(number), (2000...2100).contains(year),
                  let start = calendar.date(from: DateComponents(year: year, month: number, day: 1)),
                  let end = calendar.date(byAdding: .month, value: 1, to: start) else {
                throw PeriodError(description: "--period '\(month)': expected a month as YYYY-MM, e.g. 2026-11")
            }
            return (start, end, month)
        }
        if from != nil || to != nil {
            let start = try from.map { text throws(PeriodError) in try day(text, option: "--from") }
                ?? calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
            let lastDay = try to.map { text throws(PeriodError) in try day(text, option: "--to") } ?? calendar.startOfDay(for: now)
            guard let end = calendar.date(byAdding: .day, value: 1, to: lastDay), end > start else {
                throw PeriodError(description: "--to must not be before --from")
            }
            return (start, end, "\(dayText(start)) – \(dayText(lastDay))")
        }
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        let end = calendar.date(byAdding: .month, value: 1, to: start)!
        let components = calendar.dateComponents([.year, .month], from: start)
        return (start, end, String(format: "%04d-%02d", components.year ?? 0, components.month ?? 0))
    }

    private static func day(_ text: String, option: String) throws(PeriodError) -> Date {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (2000...2100).contains(year), (1...12).contains(month), (1...31).contains(day),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day else {
            throw PeriodError(description: "\(option) '\(text)': expected a day as YYYY-MM-DD, e.g. 2026-11-03")
        }
        return date
    }

    static func dayText(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}

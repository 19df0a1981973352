import Foundation

/// RFC 3339 times as events carry them: UTC, milliseconds, `Z`. Rounded to
/// the millisecond (not truncated: 0.123 stored as 0.12299… must print .123),
/// so an event decodes back to the same instants.
enum EventTime {
    static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let whole = Date(timeIntervalSince1970: seconds)
        let text = whole.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))  // 2025-09-01T00:00:00Z
        let fraction = Int(milliseconds - seconds * 1000)
        return String(text.dropLast()) + "." + String(format: "%03d", fraction) + "Z"
    }

    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text) {
            return Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
        }
        return try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)
    }
}

import Foundation

/// A daily period (local time) in which a route's alerts wait; they go out
/// together when it ends. `22:00-07:00` spans midnight.
public struct QuietHours: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Minutes after midnight.
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// `HH:MM-HH:MM`; nil when it is not one, or empty (start = end).
    public init?(_ text: String) {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let start = Self.minutes(parts[0]), let end = Self.minutes(parts[1]), start != end else {
            return nil
        }
        self.init(start: start, end: end)
    }

    private static func minutes(_ text: String) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    public var description: String {
        String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60)
    }

    /// When the quiet period containing `date` ends; nil when `date` is not in one.
    public func end(after date: Date, calendar: Calendar) -> Date? {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let now = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let inside = start < end ? (now >= start && now < end) : (now >= start || now < end)
        guard inside else { return nil }
        let midnight = calendar.startOfDay(for: date)
        var endDay = midnight
        if start > end, now >= start {
            endDay = calendar.date(byAdding: .day, value: 1, to: midnight) ?? midnight
        }
        return calendar.date(byAdding: .minute, value: end, to: endDay)
    }
}

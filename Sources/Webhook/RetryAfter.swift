import Foundation

/// The `Retry-After` response header (RFC 9110 §10.2.3): either delta-seconds
/// or an HTTP-date, turned into seconds from `now`.
enum RetryAfter {
    static func seconds(_ value: String, now: Date) -> TimeInterval? {
        let value = value.trimmingCharacters(in: .whitespaces)
        if !value.isEmpty, value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber) {
            return TimeInterval(value)
        }
        guard let date = httpDate(value) else { return nil }
        // A date in the past means "now", not a negative wait.
        return max(0, date.timeIntervalSince(now).rounded(.up))
    }

    /// IMF-fixdate, plus the two obsolete forms RFC 9110 says recipients must accept.
    static func httpDate(_ value: String) -> Date? {
        // asctime pads the day with a space: "Sun Nov  6 08:49:37 1994".
        let value = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        for format in ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"] {
            // A formatter per call: DateFormatter is not Sendable, and a
            // Retry-After arrives only with a rejected delivery.
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return date }
        }
        return nil
    }
}

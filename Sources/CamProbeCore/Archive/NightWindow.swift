import Foundation

/// The hours of the day (the daemon's local time) in which archive measurements may
/// run: `01:00-05:00`. A daily period like the webhooks' quiet hours, so the same
/// type, notation and parser: one that ends before it starts runs over midnight
/// (`22:00-04:00`); `00:00-23:59` is (nearly) all day.
public typealias NightWindow = QuietHours

extension QuietHours {
    /// Length in minutes.
    public var length: Int { end > start ? end - start : 1440 - start + end }

    /// The first moment at or after `due` inside a period, and not before the period's
    /// start plus `slot` seconds (how recorders are spread over a night window), given
    /// the daemon's offset from UTC in seconds.
    public func firstMoment(atOrAfter due: Date, slot: TimeInterval, utcOffset: Int) -> Date {
        let local = due.timeIntervalSince1970 + Double(utcOffset)
        let day = (local / 86_400).rounded(.down) * 86_400
        for back in -1...2 {
            let opens = day + Double(back) * 86_400 + Double(start * 60)
            let closes = opens + Double(length * 60)
            let moment = max(local, opens + slot)
            if moment < closes { return Date(timeIntervalSince1970: moment - Double(utcOffset)) }
        }
        return due
    }
}

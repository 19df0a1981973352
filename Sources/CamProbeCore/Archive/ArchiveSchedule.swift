import Foundation

/// When each recorder's archive is measured next: `interval` after the last
/// measurement, inside the night window, at a slot of its own so that a district's
/// recorders do not all start at the window's first minute.
public enum ArchiveSchedule {
    /// The next measurement of `recorder`, last measured at `last` (nil: never). A
    /// recorder never measured goes at the first moment inside the window (the
    /// daemon measures a few at a time, which spreads them); after that, at its slot.
    public static func next(recorder: String, settings: ArchiveSettings, last: Date?, now: Date, utcOffset: Int) -> Date {
        guard let last else { return settings.window.firstMoment(atOrAfter: now, slot: 0, utcOffset: utcOffset) }
        let due = max(last.addingTimeInterval(settings.interval), now)
        return settings.window.firstMoment(atOrAfter: due, slot: slot(recorder, settings: settings), utcOffset: utcOffset)
    }

    /// Seconds after the window opens, from the recorder's id (FNV-1a, stable across
    /// restarts), within the shorter of the window and the interval, leaving the
    /// window's last tenth for the measurement itself.
    public static func slot(_ recorder: String, settings: ArchiveSettings) -> TimeInterval {
        let span = min(Double(settings.window.length * 60), settings.interval) * 0.9
        guard span >= 1 else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in recorder.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Double(hash % UInt64(span))
    }
}

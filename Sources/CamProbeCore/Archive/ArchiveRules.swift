/// What a recorder's archive must keep, per channel.
public struct ArchiveRules: Sendable, Equatable, Codable {
    /// Fewer recorded days is `archive.too_short` (degraded). Source: the Ministry of
    /// Education's order No. 117 п. 88 as quoted by secondary sources ("записи хранятся
    /// не менее 30 дней"); the same 30 days in Belarus' ТКП 664-2021 п. 6.8 and in
    /// Russian school rules.
    public var minDays: Double
    /// A hole in the recordings at least this long, seconds, is `archive.gaps`
    /// (degraded); so is a recorder whose latest recording is older than this.
    /// Source: our choice — "no holes" (see `shared/DOMAIN.md`), with an hour's room
    /// for a reboot or a firmware update.
    public var maxGap: Double
    /// The recorder's clock may be off by at most this many seconds, else
    /// `archive.clock` (degraded): an archive with wrong times is useless as evidence.
    /// Source: the same limit as the cameras' `max_clock_skew` (UK CCTV guidance
    /// requires correct time and date on recordings).
    public var maxClockOffset: Double

    public init(minDays: Double = 30, maxGap: Double = 3600, maxClockOffset: Double = 60) {
        self.minDays = minDays
        self.maxGap = maxGap
        self.maxClockOffset = maxClockOffset
    }
}

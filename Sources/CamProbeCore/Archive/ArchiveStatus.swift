import Foundation

/// A camera's archive as published (status API, `camprobe status`, metrics): its
/// recorder channel's last measurement.
public struct ArchiveStatus: Sendable, Codable, Equatable {
    public var measuredAt: Date
    /// `onvif` or `rtsp`; nil when no method answered.
    public var method: String?
    public var earliest: Date?
    public var latest: Date?
    /// Days recorded, holes subtracted.
    public var days: Double?
    public var gaps: [ArchiveSpan]
    /// Recorder clock minus ours, seconds.
    public var clockOffset: Double?
    /// Why it could not be measured (one line, no credentials).
    public var failure: String?

    public init(_ measurement: ArchiveMeasurement, channel: Int) {
        measuredAt = measurement.measuredAt
        method = measurement.source?.rawValue
        clockOffset = measurement.clockOffset
        failure = measurement.failure?.message
        gaps = []
        guard measurement.failure == nil else { return }
        let archive = measurement.channel(channel) ?? ChannelArchive(channel: channel)
        earliest = archive.earliest
        latest = archive.latest
        days = archive.daysCovered
        gaps = archive.gaps
    }
}

import Foundation

/// A stretch of time, `from` before `to`, in the recorder's clock.
public struct ArchiveSpan: Sendable, Equatable, Codable {
    public var from: Date
    public var to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    public var duration: TimeInterval { to.timeIntervalSince(from) }
}

/// How an archive was measured.
public enum ArchiveSource: String, Sendable, Codable, CaseIterable {
    case onvif
    case rtsp
}

/// What one recorder channel keeps: its recorded time, in the recorder's clock.
public struct ChannelArchive: Sendable, Equatable, Codable {
    public var channel: Int
    /// Earliest and latest recorded moment; nil for an empty disk.
    public var earliest: Date?
    public var latest: Date?
    /// Holes between `earliest` and `latest`, in time order.
    public var gaps: [ArchiveSpan]

    public init(channel: Int, earliest: Date? = nil, latest: Date? = nil, gaps: [ArchiveSpan] = []) {
        self.channel = channel
        self.earliest = earliest
        self.latest = latest
        self.gaps = gaps
    }

    /// The channel's archive from recorded stretches (several recordings or tracks of
    /// one source): earliest, latest, and every hole of at least `minimumGap` seconds
    /// between them. Stretches may overlap and come in any order.
    public init(channel: Int, recorded spans: [ArchiveSpan], minimumGap: TimeInterval) {
        let sorted = spans.filter { $0.to >= $0.from }.sorted { $0.from < $1.from }
        var gaps: [ArchiveSpan] = []
        var reach: Date?
        for span in sorted {
            if let end = reach, span.from.timeIntervalSince(end) >= minimumGap {
                gaps.append(ArchiveSpan(from: end, to: span.from))
            }
            reach = max(reach ?? span.to, span.to)
        }
        self.init(channel: channel, earliest: sorted.first?.from, latest: reach, gaps: gaps)
    }

    /// Days from the earliest to the latest recording, holes subtracted; 0 when empty.
    public var daysCovered: Double {
        guard let earliest, let latest, latest > earliest else { return 0 }
        let recorded = latest.timeIntervalSince(earliest) - gaps.reduce(0) { $0 + $1.duration }
        return max(0, recorded) / 86_400
    }

    /// Days from the earliest recording to `now` (in the recorder's clock): how far
    /// back the archive reaches.
    public func depth(now: Date) -> Double {
        guard let earliest, now > earliest else { return 0 }
        return now.timeIntervalSince(earliest) / 86_400
    }
}

/// Why a recorder's archive could not be measured: one line naming the recorder and
/// the cause, never a credential.
public struct ArchiveFailure: Error, Sendable, Equatable, Codable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The recorder offers no method (no ONVIF search service, no playback URL) or
        /// the method is off.
        case noMethod = "no_method"
        case unreachable
        case timeout
        case unauthorized
        /// The recorder answered, but not with what the protocol says.
        case protocolError = "protocol"
        /// The answer was larger than the limit.
        case tooLarge = "too_large"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = CameraText.sanitized(message)
    }
}

/// One measurement of one recorder's archive.
public struct ArchiveMeasurement: Sendable, Equatable, Codable {
    public var recorder: String
    /// When it was measured (our clock).
    public var measuredAt: Date
    /// How; nil when it failed before any method answered.
    public var source: ArchiveSource?
    /// Recorder clock minus ours, seconds; nil when not measured.
    public var clockOffset: Double?
    /// Per channel; empty when the measurement failed.
    public var channels: [ChannelArchive]
    /// RTSP sessions (or HTTP requests for ONVIF) the measurement used.
    public var sessions: Int
    public var failure: ArchiveFailure?

    public init(
        recorder: String, measuredAt: Date, source: ArchiveSource?, clockOffset: Double? = nil,
        channels: [ChannelArchive] = [], sessions: Int = 0, failure: ArchiveFailure? = nil
    ) {
        self.recorder = recorder
        self.measuredAt = measuredAt
        self.source = source
        self.clockOffset = clockOffset
        self.channels = channels
        self.sessions = sessions
        self.failure = failure
    }

    public func channel(_ number: Int) -> ChannelArchive? { channels.first { $0.channel == number } }
}

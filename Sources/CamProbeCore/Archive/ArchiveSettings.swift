import Foundation

/// How a recorder's archive is measured.
public enum ArchiveMethod: String, Sendable, Codable, CaseIterable {
    /// ONVIF Profile G first; RTSP playback when the recorder offers no ONVIF search.
    case auto
    /// ONVIF Profile G only (`GetRecordingSummary`, `FindRecordings`).
    case onvif
    /// RTSP playback only, through the vendor's playback URL.
    case rtsp
    /// Not measured: the camera gets the note `archive.unmeasured`.
    case off
}

/// Recorder firmwares whose RTSP playback URLs are well known.
public enum PlaybackVendor: String, Sendable, Codable, CaseIterable {
    case hikvision
    case dahua
    case uniview
    /// The inventory gives `playback_template`.
    case custom

    /// Playback template, placeholders `{host} {port} {channel} {start}`; `{start}` is
    /// the UTC moment asked for, in the vendor's own notation (``startText(_:)``).
    public var template: String? {
        switch self {
        case .hikvision: "rtsp://{host}:{port}/Streaming/tracks/{channel}01?starttime={start}"
        case .dahua: "rtsp://{host}:{port}/cam/playback?channel={channel}&subtype=0&starttime={start}"
        case .uniview: "rtsp://{host}:{port}/c{channel}/b{start}/replay/"
        case .custom: nil
        }
    }

    /// The playback vendor of a live-stream vendor, when the firmware has one.
    public init?(_ vendor: RecorderVendor) {
        switch vendor {
        case .hikvision: self = .hikvision
        case .dahua: self = .dahua
        case .uniview: self = .uniview
        case .xmeye, .custom: return nil
        }
    }

    /// The moment as the vendor writes it: Hikvision `20240105T013000Z`, Dahua
    /// `2024_01_05_01_30_00`, Uniview (and custom) seconds since 1970.
    public func startText(_ seconds: Int64) -> String {
        let (y, mo, d, h, mi, s) = CivilTime.fields(seconds)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch self {
        case .hikvision: return "\(y)\(two(mo))\(two(d))T\(two(h))\(two(mi))\(two(s))Z"
        case .dahua: return "\(y)_\(two(mo))_\(two(d))_\(two(h))_\(two(mi))_\(two(s))"
        case .uniview, .custom: return String(seconds)
        }
    }
}

/// The hours of the day (the daemon's local time) in which archive measurements may
/// run: `01:00-05:00`. A window that ends before it starts runs over midnight
/// (`22:00-04:00`); `00:00-23:59` is (nearly) all day.
public struct NightWindow: Sendable, Equatable, Codable {
    /// Minutes after midnight, 0…1439.
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// `HH:MM-HH:MM` (the notation and parser of ``QuietHours``); nil when it is not one,
    /// or empty.
    public init?(parsing text: String) {
        guard let hours = QuietHours(text) else { return nil }
        self.init(start: hours.start, end: hours.end)
    }

    /// Length in minutes.
    public var length: Int { end > start ? end - start : 1440 - start + end }

    /// The first moment at or after `due` inside a window, and not before the window's
    /// start plus `slot` seconds (how recorders are spread over the window), given the
    /// daemon's offset from UTC in seconds.
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

    public var text: String { QuietHours(start: start, end: end).description }
}

/// A recorder's `archive:` settings in the inventory.
public struct ArchiveSettings: Sendable, Equatable, Codable {
    public var method: ArchiveMethod
    /// The playback URL's vendor; nil: the recorder's vendor's, if it has one.
    public var playback: PlaybackVendor?
    /// Playback template for ``PlaybackVendor/custom``.
    public var playbackTemplate: String?
    /// Seconds between two measurements. Source: our choice — an archive changes by a
    /// day a day, and a DVR has few session slots.
    public var interval: Double
    /// When the measurements run: at night, when nobody watches the recorder's playback.
    public var window: NightWindow
    /// Port of the ONVIF web service (HTTP).
    public var onvifPort: Int

    public init(
        method: ArchiveMethod = .auto, playback: PlaybackVendor? = nil, playbackTemplate: String? = nil,
        interval: Double = 86_400, window: NightWindow = NightWindow(start: 60, end: 300), onvifPort: Int = 80
    ) {
        self.method = method
        self.playback = playback
        self.playbackTemplate = playbackTemplate
        self.interval = interval
        self.window = window
        self.onvifPort = onvifPort
    }

    /// The playback template for a recorder of `vendor`, if any.
    public func playbackTemplate(vendor: RecorderVendor) -> String? {
        if let playbackTemplate { return playbackTemplate }
        return (playback ?? PlaybackVendor(vendor))?.template
    }
}

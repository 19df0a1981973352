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

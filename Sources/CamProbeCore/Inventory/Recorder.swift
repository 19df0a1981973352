/// Recorder firmwares whose RTSP paths are well known (see `shared/DOMAIN.md`).
public enum RecorderVendor: String, Sendable, Codable, CaseIterable {
    case hikvision
    case dahua
    case uniview
    /// XMEye-firmware budget DVRs: credentials in the path.
    case xmeye
    /// Any other: the inventory gives the templates.
    case custom

    /// Main-stream template, placeholders `{host} {port} {channel} {user} {password}`.
    public var mainTemplate: String? {
        switch self {
        case .hikvision: "rtsp://{host}:{port}/Streaming/Channels/{channel}01"
        case .dahua: "rtsp://{host}:{port}/cam/realmonitor?channel={channel}&subtype=0"
        case .uniview: "rtsp://{host}:{port}/unicast/c{channel}/s0/live"
        case .xmeye: "rtsp://{host}:{port}/user={user}&password={password}&channel={channel}&stream=0.sdp"
        case .custom: nil
        }
    }

    /// Sub-stream template.
    public var subTemplate: String? {
        switch self {
        case .hikvision: "rtsp://{host}:{port}/Streaming/Channels/{channel}02"
        case .dahua: "rtsp://{host}:{port}/cam/realmonitor?channel={channel}&subtype=1"
        case .uniview: "rtsp://{host}:{port}/unicast/c{channel}/s1/live"
        case .xmeye: "rtsp://{host}:{port}/user={user}&password={password}&channel={channel}&stream=1.sdp"
        case .custom: nil
        }
    }
}

/// A DVR/NVR of the inventory: one host with `channels` cameras behind it.
/// Inventories list recorders rather than stream URLs; ``cameras()`` turns one
/// into a ``Camera`` per channel.
public struct Recorder: Sendable, Equatable, Codable {
    public var id: String
    public var region: String
    public var district: String
    public var school: School
    /// Host name or address (IPv6 without brackets).
    public var host: String
    public var port: Int
    public var vendor: RecorderVendor
    public var channels: Int
    /// `.analog` for a DVR (analog cameras), `.digital` for an NVR (IP cameras).
    public var kind: CameraKind
    public var credentials: String?
    public var profile: String
    /// Channel number → where that camera looks.
    public var locations: [Int: String]
    /// Templates for ``RecorderVendor/custom`` (or to replace the vendor's).
    public var template: String?
    public var subTemplate: String?
    public var overrides: PolicyOverrides
    /// How and when its archive is measured.
    public var archive: ArchiveSettings

    public init(
        id: String, region: String, district: String, school: School, host: String, port: Int = 554,
        vendor: RecorderVendor, channels: Int, kind: CameraKind = .analog, credentials: String? = nil,
        profile: String, locations: [Int: String] = [:], template: String? = nil, subTemplate: String? = nil,
        overrides: PolicyOverrides = PolicyOverrides(), archive: ArchiveSettings = ArchiveSettings()
    ) {
        self.id = id
        self.region = region
        self.district = district
        self.school = school
        self.host = host
        self.port = port
        self.vendor = vendor
        self.channels = channels
        self.kind = kind
        self.credentials = credentials
        self.profile = profile
        self.locations = locations
        self.template = template
        self.subTemplate = subTemplate
        self.overrides = overrides
        self.archive = archive
    }

    public var mainTemplate: String? { template ?? vendor.mainTemplate }
    public var subStreamTemplate: String? { subTemplate ?? (template == nil ? vendor.subTemplate : nil) }

    /// `<id>-ch01`: two digits, three when the recorder has more than 99 channels,
    /// so ids sort in channel order.
    public func cameraID(channel: Int) -> String {
        let digits = channels > 99 ? 3 : 2
        let number = String(channel)
        return id + "-ch" + String(repeating: "0", count: max(0, digits - number.count)) + number
    }

    /// `template` with `{host}`, `{port}` and `{channel}` filled in; `{user}` and
    /// `{password}` stay for ``StreamAddress/resolve(_:credentials:)``.
    public func streamURL(template: String, channel: Int) -> String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            switch rest[rest.index(after: open)..<close] {
            case "host": out += hostText
            case "port": out += String(port)
            case "channel": out += String(channel)
            default: out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// One camera per channel, 1…``channels``.
    public func cameras() -> [Camera] {
        guard let main = mainTemplate, channels >= 1 else { return [] }
        let sub = subStreamTemplate
        return (1...channels).map { channel in
            Camera(
                id: cameraID(channel: channel), region: region, district: district, school: school,
                location: locations[channel], kind: kind, mainStream: streamURL(template: main, channel: channel),
                subStream: sub.map { streamURL(template: $0, channel: channel) }, credentials: credentials,
                recorder: RecorderChannel(recorder: id, host: host, channel: channel), profile: profile,
                overrides: overrides)
        }
    }
}

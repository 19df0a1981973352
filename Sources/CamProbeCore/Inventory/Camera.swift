/// A school: the unit operators and akimats count by.
public struct School: Sendable, Hashable, Codable {
    public var name: String
    /// The organisation's BIN (12 digits), when the inventory has it.
    public var bin: String?

    public init(name: String, bin: String? = nil) {
        self.name = name
        self.bin = bin
    }
}

public enum CameraKind: String, Sendable, Codable, CaseIterable {
    /// An IP camera, reached directly or through an NVR.
    case digital
    /// An analog camera, reachable only through its DVR.
    case analog
}

/// The DVR/NVR channel a camera is reached through.
public struct RecorderChannel: Sendable, Hashable, Codable {
    /// The recorder's id in the inventory.
    public var recorder: String
    /// Host (name or address) of the recorder: one host, few RTSP session slots.
    public var host: String
    public var channel: Int

    public init(recorder: String, host: String, channel: Int) {
        self.recorder = recorder
        self.host = host
        self.channel = channel
    }
}

/// Per-camera changes to its profile's rules; nil keeps the profile's value.
public struct PolicyOverrides: Sendable, Equatable, Codable {
    public var minWidth: Int?
    public var minHeight: Int?
    public var minFrameRate: Double?
    public var warnFrameRate: Double?
    public var maxKeyframeInterval: Double?
    public var checkFrozen: Bool?
    public var checkBlurred: Bool?
    public var interval: Double?

    public init(
        minWidth: Int? = nil, minHeight: Int? = nil, minFrameRate: Double? = nil, warnFrameRate: Double? = nil,
        maxKeyframeInterval: Double? = nil, checkFrozen: Bool? = nil, checkBlurred: Bool? = nil, interval: Double? = nil
    ) {
        self.minWidth = minWidth
        self.minHeight = minHeight
        self.minFrameRate = minFrameRate
        self.warnFrameRate = warnFrameRate
        self.maxKeyframeInterval = maxKeyframeInterval
        self.checkFrozen = checkFrozen
        self.checkBlurred = checkBlurred
        self.interval = interval
    }

    public var isEmpty: Bool { self == PolicyOverrides() }

    public func applied(to profile: PolicyProfile) -> PolicyProfile {
        var p = profile
        if let minWidth { p.minWidth = minWidth }
        if let minHeight { p.minHeight = minHeight }
        if let minFrameRate { p.minFrameRate = minFrameRate }
        if let warnFrameRate { p.warnFrameRate = warnFrameRate }
        if let maxKeyframeInterval { p.maxKeyframeInterval = maxKeyframeInterval }
        if let checkFrozen { p.checkFrozen = checkFrozen }
        if let checkBlurred { p.checkBlurred = checkBlurred }
        if let interval { p.interval = interval }
        return p
    }
}

/// One camera of the inventory, as loaded and validated. Stream URLs carry no
/// credentials: those come from the secrets store, by name, at probe time.
public struct Camera: Sendable, Equatable, Codable {
    public var id: String
    public var region: String
    public var district: String
    public var school: School
    /// Where it looks: "main entrance", "главный вход".
    public var location: String?
    public var kind: CameraKind
    /// Main stream (full resolution; compliance is judged on it).
    public var mainStream: String
    /// Sub-stream (cheap to decode; enough to see the picture is alive), if any.
    public var subStream: String?
    /// Name of the credentials in the secrets store, if the camera needs any.
    public var credentials: String?
    public var recorder: RecorderChannel?
    /// Policy profile name.
    public var profile: String
    public var overrides: PolicyOverrides

    public init(
        id: String, region: String, district: String, school: School, location: String? = nil,
        kind: CameraKind = .digital, mainStream: String, subStream: String? = nil, credentials: String? = nil,
        recorder: RecorderChannel? = nil, profile: String, overrides: PolicyOverrides = PolicyOverrides()
    ) {
        self.id = id
        self.region = region
        self.district = district
        self.school = school
        self.location = location
        self.kind = kind
        self.mainStream = mainStream
        self.subStream = subStream
        self.credentials = credentials
        self.recorder = recorder
        self.profile = profile
        self.overrides = overrides
    }
}

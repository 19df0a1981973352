import Foundation

/// `data` of the camera events: which camera, its state before and after, why,
/// and what the probe measured.
public struct CameraEventData: Sendable, Equatable, Codable {
    public enum Kind: Sendable, Equatable {
        case state, alert, reminder

        var type: EventType {
            switch self {
            case .state: .cameraState
            case .alert: .cameraAlert
            case .reminder: .cameraReminder
            }
        }

        init?(_ type: EventType) {
            switch type {
            case .cameraState: self = .state
            case .cameraAlert: self = .alert
            case .cameraReminder: self = .reminder
            default: return nil
            }
        }
    }

    /// Which camera event this is (the envelope's `type`; not in the JSON).
    public var kind: Kind
    public var camera: EventCamera
    /// The state before (for a reminder: the same as `to`).
    public var from: MonitorState
    public var to: MonitorState
    /// Since when the camera has been in `to`.
    public var since: Date
    /// Reasons of the verdict, codes and text in the configured language.
    public var reasons: [StatusReasonText]
    /// False when the change is explained by `affected_by` (not alerted on its own).
    public var alerted: Bool
    /// `host <name>`, `school <name>` or `prober`, when one of them explains the change.
    public var affectedBy: String?
    /// The probe that confirmed the change (for a reminder: the latest).
    public var probedAt: Date?
    public var measured: EventMeasurement?
    /// Reminders: seconds the camera has been in `to`.
    public var openFor: Double?

    public init(
        kind: Kind, camera: EventCamera, from: MonitorState, to: MonitorState, since: Date, reasons: [StatusReasonText],
        alerted: Bool, affectedBy: String? = nil, probedAt: Date?, measured: EventMeasurement?, openFor: Double? = nil
    ) {
        self.kind = kind
        self.camera = camera
        self.from = from
        self.to = to
        self.since = since
        self.reasons = reasons
        self.alerted = alerted
        self.affectedBy = affectedBy
        self.probedAt = probedAt
        self.measured = measured
        self.openFor = openFor
    }

    private enum CodingKeys: String, CodingKey {
        case camera, from, to, since, reasons, alerted
        case affectedBy = "affected_by"
        case probedAt = "probed_at"
        case measured
        case openFor = "open_for"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = .state
        camera = try container.decode(EventCamera.self, forKey: .camera)
        from = try container.decode(MonitorState.self, forKey: .from)
        to = try container.decode(MonitorState.self, forKey: .to)
        since = try container.decode(Date.self, forKey: .since)
        reasons = try container.decode([StatusReasonText].self, forKey: .reasons)
        alerted = try container.decode(Bool.self, forKey: .alerted)
        affectedBy = try container.decodeIfPresent(String.self, forKey: .affectedBy)
        probedAt = try container.decodeIfPresent(Date.self, forKey: .probedAt)
        measured = try container.decodeIfPresent(EventMeasurement.self, forKey: .measured)
        openFor = try container.decodeIfPresent(Double.self, forKey: .openFor)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(camera, forKey: .camera)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(since, forKey: .since)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(alerted, forKey: .alerted)
        try container.encodeIfPresent(affectedBy, forKey: .affectedBy)
        try container.encodeIfPresent(probedAt, forKey: .probedAt)
        try container.encodeIfPresent(measured, forKey: .measured)
        try container.encodeIfPresent(openFor, forKey: .openFor)
    }
}

/// The camera an event is about, as the inventory names it.
public struct EventCamera: Sendable, Equatable, Codable {
    public var id: String
    public var region: String
    public var district: String
    public var school: String
    public var schoolBin: String?
    public var location: String?
    public var kind: CameraKind
    /// The DVR/NVR (or the camera's own address) it is reached through.
    public var host: String

    public init(
        id: String, region: String, district: String, school: String, schoolBin: String?, location: String?,
        kind: CameraKind, host: String
    ) {
        self.id = id
        self.region = region
        self.district = district
        self.school = school
        self.schoolBin = schoolBin
        self.location = location
        self.kind = kind
        self.host = host
    }

    public init(_ status: CameraStatus) {
        self.init(
            id: status.id, region: status.region, district: status.district, school: status.school,
            schoolBin: status.schoolBin, location: status.location, kind: status.kind, host: status.host)
    }

    private enum CodingKeys: String, CodingKey {
        case id, region, district, school
        case schoolBin = "school_bin"
        case location, kind, host
    }
}

/// What the probe measured, in the units operators read.
public struct EventMeasurement: Sendable, Equatable, Codable {
    public var codec: String?
    public var width: Int?
    public var height: Int?
    public var frameRate: Double?
    public var bitrateKbps: Double?
    public var keyframeInterval: Double?
    /// The probe's failure code, when it failed.
    public var failure: String?

    public init(
        codec: String? = nil, width: Int? = nil, height: Int? = nil, frameRate: Double? = nil,
        bitrateKbps: Double? = nil, keyframeInterval: Double? = nil, failure: String? = nil
    ) {
        self.codec = codec
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.bitrateKbps = bitrateKbps
        self.keyframeInterval = keyframeInterval
        self.failure = failure
    }

    private enum CodingKeys: String, CodingKey {
        case codec, width, height
        case frameRate = "frame_rate"
        case bitrateKbps = "bitrate_kbps"
        case keyframeInterval = "keyframe_interval"
        case failure
    }
}

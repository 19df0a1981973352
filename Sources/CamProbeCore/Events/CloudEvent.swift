import Foundation

/// One event as CamProbe publishes it: a CloudEvents 1.0 envelope in its JSON
/// format (structured mode), the same bytes on the queue, in webhooks, in the
/// outbox and in `camprobe events`.
///
/// `id` is unique per event and stable across redeliveries: consumers drop
/// duplicates by it (delivery is at least once). `source` names this prober
/// instance; `subject` the camera, host, school or instance the event is about.
/// The schema of each type is in `docs/events/` (JSON Schema).
public struct CloudEvent: Sendable, Equatable, Codable {
    public static let specVersion = "1.0"

    public var specversion: String
    public var id: String
    public var source: String
    public var type: EventType
    public var time: Date
    public var subject: String
    public var datacontenttype: String
    public var dataschema: String
    public var data: EventData

    public init(id: String, source: String, time: Date, subject: String, data: EventData) {
        self.specversion = Self.specVersion
        self.id = id
        self.source = source
        self.type = data.type
        self.time = time
        self.subject = subject
        self.datacontenttype = "application/json"
        self.dataschema = data.type.schema
        self.data = data
    }

    /// The `source` of events from the prober instance `instance`.
    public static func source(instance: String) -> String { "urn:camprobe:\(instance)" }

    private enum CodingKeys: String, CodingKey {
        case specversion, id, source, type, time, subject, datacontenttype, dataschema, data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        specversion = try container.decode(String.self, forKey: .specversion)
        guard specversion == Self.specVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .specversion, in: container, debugDescription: "specversion \(specversion) is not 1.0")
        }
        id = try container.decode(String.self, forKey: .id)
        source = try container.decode(String.self, forKey: .source)
        type = try container.decode(EventType.self, forKey: .type)
        time = try container.decode(Date.self, forKey: .time)
        subject = try container.decode(String.self, forKey: .subject)
        datacontenttype = try container.decode(String.self, forKey: .datacontenttype)
        dataschema = try container.decode(String.self, forKey: .dataschema)
        switch type {
        case .cameraState, .cameraAlert, .cameraReminder:
            var camera = try container.decode(CameraEventData.self, forKey: .data)
            camera.kind = CameraEventData.Kind(type) ?? .state
            data = .camera(camera)
        case .hostState, .schoolState, .proberState:
            data = .group(try container.decode(GroupEventData.self, forKey: .data))
        case .snapshot:
            data = .snapshot(try container.decode(SnapshotEventData.self, forKey: .data))
        case .proberHeartbeat:
            data = .heartbeat(try container.decode(HeartbeatEventData.self, forKey: .data))
        case .proberSchedule:
            data = .schedule(try container.decode(ScheduleEventData.self, forKey: .data))
        }
        guard data.type == type else {
            throw DecodingError.dataCorruptedError(
                forKey: .data, in: container, debugDescription: "data is not of type \(type.rawValue)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(specversion, forKey: .specversion)
        try container.encode(id, forKey: .id)
        try container.encode(source, forKey: .source)
        try container.encode(type, forKey: .type)
        try container.encode(time, forKey: .time)
        try container.encode(subject, forKey: .subject)
        try container.encode(datacontenttype, forKey: .datacontenttype)
        try container.encode(dataschema, forKey: .dataschema)
        switch data {
        case let .camera(value): try container.encode(value, forKey: .data)
        case let .group(value): try container.encode(value, forKey: .data)
        case let .snapshot(value): try container.encode(value, forKey: .data)
        case let .heartbeat(value): try container.encode(value, forKey: .data)
        case let .schedule(value): try container.encode(value, forKey: .data)
        }
    }
}

extension CloudEvent {
    /// The JSON the event is published as: RFC 3339 times in UTC with
    /// milliseconds, snake_case keys in `data`, keys sorted (stable bytes).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(EventTime.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = EventTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return date
        }
        return decoder
    }

    /// The event's JSON bytes.
    public func json() -> Data {
        // Every field is a plain value: encoding cannot fail.
        (try? Self.encoder().encode(self)) ?? Data()
    }
}

import Foundation
import Testing
@testable import CamProbeCore

/// The events' wire format: CloudEvents 1.0 JSON, routing keys, alert routing.
struct CloudEventTests {
    static let camera = EventCamera(
        id: "abai-007-cam03", region: "Абайская область", district: "Семей", school: "Школа-гимназия №7",
        schoolBin: "123456789012", location: "главный вход", kind: .digital, host: "10.1.2.3")

    static func down(alerted: Bool = true, affectedBy: String? = nil) -> CloudEvent {
        CloudEvent(
            id: "6f1c0c8e-0000-4000-8000-000000000001", source: CloudEvent.source(instance: "abai-semey-01"),
            time: Date(timeIntervalSince1970: 1_756_684_800.123), subject: camera.id,
            data: .camera(CameraEventData(
                kind: .state, camera: camera, from: .up, to: .down, since: Date(timeIntervalSince1970: 1_756_684_700),
                reasons: [StatusReasonText(code: "probe.refused", severity: "failure", text: "камера отклонила соединение")],
                alerted: alerted, affectedBy: affectedBy, probedAt: Date(timeIntervalSince1970: 1_756_684_800),
                measured: EventMeasurement(failure: "probe.refused"))))
    }

    @Test func cameraEvent_encodesCloudEventsEnvelopeAndSnakeCaseData() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Self.down().json()) as? [String: Any])
        #expect(json["specversion"] as? String == "1.0")
        #expect(json["type"] as? String == "kz.camprobe.camera.state.v1")
        #expect(json["source"] as? String == "urn:camprobe:abai-semey-01")
        #expect(json["subject"] as? String == "abai-007-cam03")
        #expect(json["time"] as? String == "2025-09-01T00:00:00.123Z")
        #expect(json["datacontenttype"] as? String == "application/json")
        #expect(json["dataschema"] as? String == "https://camprobe.kz/schemas/camera.state.v1.json")
        let data = try #require(json["data"] as? [String: Any])
        #expect(data["from"] as? String == "up")
        #expect(data["to"] as? String == "down")
        #expect(data["probed_at"] as? String == "2025-09-01T00:00:00.000Z")
        let camera = try #require(data["camera"] as? [String: Any])
        #expect(camera["school_bin"] as? String == "123456789012")
        #expect(camera["school"] as? String == "Школа-гимназия №7")
        #expect((data["measured"] as? [String: Any])?["failure"] as? String == "probe.refused")
    }

    @Test func everyKind_roundTripsThroughJSON() throws {
        let group = CloudEvent(
            id: "g1", source: "urn:camprobe:x", time: Date(timeIntervalSince1970: 1_756_684_800), subject: "10.1.2.3",
            data: .group(GroupEventData(
                level: .host, name: "10.1.2.3", state: .down, region: "r", district: "d", school: "s",
                reason: StatusReasonText(code: "probe.timeout.connect", severity: "failure", text: "t"), failing: 4,
                probed: 4, since: Date(timeIntervalSince1970: 1_756_684_000), cameras: ["a", "b", "c", "d"])))
        var reminderData = CameraEventData(
            kind: .reminder, camera: Self.camera, from: .down, to: .down, since: Date(timeIntervalSince1970: 1_756_600_000),
            reasons: [], alerted: true, probedAt: nil, measured: nil, openFor: 84_800)
        reminderData.affectedBy = nil
        let reminder = CloudEvent(id: "r1", source: "urn:camprobe:x", time: Date(timeIntervalSince1970: 1_756_684_800), subject: "c", data: .camera(reminderData))
        let snapshot = CloudEvent(
            id: "s1", source: "urn:camprobe:x", time: Date(timeIntervalSince1970: 1_756_684_800), subject: "x",
            data: .snapshot(SnapshotEventData(cameras: [
                .init(camera: "a", state: .up, since: nil, reasons: [], affectedBy: nil),
                .init(camera: "b", state: .down, since: Date(timeIntervalSince1970: 1_756_684_000), reasons: ["probe.refused"], affectedBy: "host:h"),
            ])))
        for event in [Self.down(), group, reminder, snapshot] {
            let decoded = try CloudEvent.decoder().decode(CloudEvent.self, from: event.json())
            #expect(decoded == event)
        }
        if case let .snapshot(data) = snapshot.data {
            #expect(data.counts == ["up": 1, "down": 1, "degraded": 0, "unknown": 0])
        }
        #expect(reminder.type == .cameraReminder)
    }

    @Test func decoding_rejectsOtherSpecVersionsAndMismatchedTypes() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Self.down().json()) as? [String: Any])
        object["specversion"] = "0.3"
        #expect(throws: DecodingError.self) {
            try CloudEvent.decoder().decode(CloudEvent.self, from: try JSONSerialization.data(withJSONObject: object))
        }
        object["specversion"] = "1.0"
        object["type"] = "kz.camprobe.host.state.v1"
        #expect(throws: DecodingError.self) {
            try CloudEvent.decoder().decode(CloudEvent.self, from: try JSONSerialization.data(withJSONObject: object))
        }
    }

    @Test func routingKey_isFiveSanitisedSegments() {
        #expect(RoutingKey.of(Self.down()) == "абайская_область.семей.123456789012.abai-007-cam03.down")
        #expect(RoutingKey.sanitise("a.b*c#d  e") == "a_b_c_d_e")
        #expect(RoutingKey.sanitise("") == "_")
        #expect(RoutingKey.sanitise(String(repeating: "ж", count: 100)).utf8.count <= 48)
        let host = CloudEvent(
            id: "h", source: "s", time: Date(), subject: "10.1.2.3",
            data: .group(GroupEventData(level: .host, name: "10.1.2.3", state: .down, region: "R", district: nil, school: nil, since: Date())))
        #expect(RoutingKey.of(host) == "r._._.host_10_1_2_3.down")
        let prober = CloudEvent(
            id: "p", source: "s", time: Date(), subject: "abai-01",
            data: .group(GroupEventData(level: .prober, name: "abai-01", state: .up, since: Date())))
        #expect(RoutingKey.of(prober) == "_._._.prober_abai-01.up")
    }

    @Test func alertKind_skipsCoveredChangesAndFirstSightings() {
        #expect(AlertKind(Self.down()) == .down)
        #expect(AlertKind(Self.down(alerted: false, affectedBy: "host:10.1.2.3")) == nil)
        var first = Self.down()
        if case var .camera(data) = first.data {
            data.from = .unknown
            data.to = .up
            first.data = .camera(data)
        }
        #expect(AlertKind(first) == nil, "unknown → up is no news")
        #expect(AlertSeverity(Self.down()) == .critical)
    }

    @Test func route_filtersByKindPlaceAndSeverity() {
        var route = AlertRoute(name: "cou", url: "https://example.invalid/hook", format: .json, secret: "k")
        #expect(route.matches(Self.down()))
        route.kinds = [.recovered]
        #expect(!route.matches(Self.down()))
        route.kinds = [.down]
        route.regions = ["Абайская область"]
        #expect(route.matches(Self.down()))
        route.schools = ["123456789012"]
        #expect(route.matches(Self.down()), "a school matches by BIN")
        route.schools = ["другая школа"]
        #expect(!route.matches(Self.down()))
        route.schools = []
        route.districts = ["Аягоз"]
        #expect(!route.matches(Self.down()))
        let routing = EventRouting(queue: true, routes: [AlertRoute(name: "all", url: "https://e.invalid", format: .slack)])
        #expect(routing.sinks(for: Self.down()) == ["amqp", "webhook:all"])
        #expect(routing.sinks(for: Self.down(alerted: false, affectedBy: "host:h")) == ["amqp"])
    }

    @Test func quietHours_spanningMidnight_endNextMorning() throws {
        let quiet = try #require(QuietHours("22:00-07:00"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Almaty"))
        let formatter = ISO8601DateFormatter()
        let late = try #require(formatter.date(from: "2025-09-01T23:30:00+05:00"))
        #expect(quiet.end(after: late, calendar: calendar) == formatter.date(from: "2025-09-02T07:00:00+05:00"))
        let early = try #require(formatter.date(from: "2025-09-02T03:00:00+05:00"))
        #expect(quiet.end(after: early, calendar: calendar) == formatter.date(from: "2025-09-02T07:00:00+05:00"))
        let noon = try #require(formatter.date(from: "2025-09-02T12:00:00+05:00"))
        #expect(quiet.end(after: noon, calendar: calendar) == nil)
        #expect(QuietHours("25:00-07:00") == nil)
        #expect(QuietHours("07:00-07:00") == nil)
        #expect(quiet.description == "22:00-07:00")
    }
}

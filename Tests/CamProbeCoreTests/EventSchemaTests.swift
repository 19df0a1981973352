import Foundation
import Testing
@testable import CamProbeCore

/// The JSON Schemas in `docs/events/` describe what the daemon really sends:
/// real encoded events, checked by an independent validator (Python's
/// jsonschema, Draft 2020-12), including `additionalProperties: false`.
struct EventSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyEventType_validatesAgainstItsShippedSchema() throws {
        let time = Date(timeIntervalSince1970: 1_756_684_800.5)
        let group = GroupEventData(
            level: .host, name: "10.1.2.3", state: .down, region: "R", district: "D", school: "S",
            reason: StatusReasonText(code: "probe.timeout.connect", severity: "failure", text: "t"), failing: 4, probed: 4,
            since: time, cameras: ["a", "b"])
        var school = group
        school.level = .school
        var prober = GroupEventData(level: .prober, name: "abai-01", state: .down, failing: 30, probed: 40, hosts: 12, since: time)
        prober.reason = StatusReasonText(code: "probe.unreachable", severity: "failure", text: "t")
        var alert = CloudEventTests.down()
        if case var .camera(data) = alert.data {
            data.kind = .alert
            alert = CloudEvent(id: "a1", source: alert.source, time: time, subject: alert.subject, data: .camera(data))
        }
        let reminder = CloudEvent(
            id: "r1", source: "urn:camprobe:x", time: time, subject: "c",
            data: .camera(CameraEventData(
                kind: .reminder, camera: CloudEventTests.camera, from: .degraded, to: .degraded, since: time, reasons: [],
                alerted: true, probedAt: time, measured: EventMeasurement(codec: "h264", width: 1280, height: 720, frameRate: 12.5), openFor: 14_400)))
        var counts = StateCounts()
        (counts.up, counts.degraded, counts.down, counts.unknown) = (12, 3, 1, 0)
        let events: [CloudEvent] = [
            CloudEventTests.down(), CloudEventTests.down(alerted: false, affectedBy: "host:10.1.2.3"), alert, reminder,
            CloudEvent(id: "h1", source: "urn:camprobe:x", time: time, subject: "10.1.2.3", data: .group(group)),
            CloudEvent(id: "s1", source: "urn:camprobe:x", time: time, subject: "S", data: .group(school)),
            CloudEvent(id: "p1", source: "urn:camprobe:x", time: time, subject: "abai-01", data: .group(prober)),
            CloudEvent(id: "n1", source: "urn:camprobe:x", time: time, subject: "abai-01", data: .snapshot(SnapshotEventData(cameras: [
                .init(camera: "a", state: .down, since: time, reasons: ["probe.refused"], affectedBy: "host:h"),
            ]))),
            CloudEvent(id: "b1", source: "urn:camprobe:x", time: time, subject: "abai-01", data: .heartbeat(HeartbeatEventData(
                instance: "abai-01", version: CamProbeVersion.current, states: counts, lagSeconds: 1.25, intervalSeconds: 60,
                lastSweep: .init(started: time.addingTimeInterval(-290), finished: time)))),
            CloudEvent(id: "b2", source: "urn:camprobe:x", time: time, subject: "abai-01", data: .heartbeat(HeartbeatEventData(
                instance: "abai-01", version: CamProbeVersion.current, states: StateCounts(), lagSeconds: 0, intervalSeconds: 60,
                lastSweep: nil))),
            CloudEvent(id: "l1", source: "urn:camprobe:x", time: time, subject: "abai-01", data: .schedule(ScheduleEventData(
                instance: "abai-01", state: .behind, lagSeconds: 75.3, since: time, probeLimit: 32, probesNeeded: 174.3))),
        ]
        #expect(Set(events.map(\.type)) == Set(EventType.allCases))
        let lines = events.map { String(decoding: $0.json(), as: UTF8.self) }.joined(separator: "\n")
        let script = """
            import json, sys, jsonschema
            n = 0
            for line in sys.stdin:
                event = json.loads(line)
                name = event["type"][len("kz.camprobe."):]
                schema = json.load(open(sys.argv[1] + "/" + name + ".json"))
                jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(event)
                n += 1
            print("ok", n)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, Self.root.appendingPathComponent("docs/events").path]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(lines.utf8))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(err.suffix(1500))")
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "ok \(events.count)")
    }
}

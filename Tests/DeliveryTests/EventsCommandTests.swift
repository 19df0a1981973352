import CamProbeCore
import Foundation
import Testing
@testable import Store

/// `camprobe events` on a real state database (the embedded default: no broker).
struct EventsCommandTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = DaemonKillTests.binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output, errors)
    }

    @Test func events_listsTheOutboxAsTableAndJSONLinesWithPaging() throws {
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        let events = (1...3).map { Events.camera("cam-\($0)", .up, .down) }
        try store.append(events.map { OutboxItem(event: $0, sinks: $0.subject == "cam-3" ? ["amqp"] : []) })

        let json = try Self.run(["events", "--state-dir", directory.path, "--json", "--all", "--limit", "2"])
        #expect(json.status == 0, "\(json.err)")
        let lines = json.out.split(separator: "\n")
        #expect(lines.count == 3)
        let decoded = try lines.map { try CloudEvent.decoder().decode(CloudEvent.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.id) == events.map(\.id))

        let table = try Self.run(["events", "--state-dir", directory.path, "--limit", "2"])
        #expect(table.status == 0)
        #expect(table.out.contains("camera.state.v1"))
        #expect(table.out.contains("up → down"))
        #expect(table.out.contains("more: camprobe events --after 2"))
        #expect(table.out.contains("outbox: 3 events; waiting: amqp 1"))

        let bad = try Self.run(["events", "--state-dir", directory.path, "--type", "nope"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("--type must be one of"))
    }
}

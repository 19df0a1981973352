import AMQP
import AMQPTestSupport
import CamProbeCore
import Foundation
import Testing
@testable import Store

/// `camprobe run` as a real process, SIGKILLed while it publishes its outbox
/// to a real broker, then started again: nothing is lost.
@Suite(.serialized)
struct DaemonKillTests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("camprobe")
    }

    static func start(config: String, log: String) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--config", config, "--metrics-address", "off"]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    @Test func daemonKilledMidPublish_andRestarted_losesNothing() async throws {
        let server = try RabbitMQServer.shared()
        let name = "kill-\(UUID().uuidString.prefix(6))"
        let directory = try StateDirectory()
        let dir = directory.path
        let log = dir + "/daemon.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        try "rabbitmq:\n  username: \(server.user)\n  password: \(server.password)\n".write(toFile: dir + "/secrets.yaml", atomically: true, encoding: .utf8)
        chmod(dir + "/secrets.yaml", 0o600)
        // One camera on a loopback port nothing listens on: the daemon's own
        // events are few; the backlog below is what it publishes.
        try """
            cameras:
              - id: cam-closed
                region: R
                district: D
                school: S
                url: rtsp://127.0.0.1:9/none
            """.write(toFile: dir + "/inventory.yaml", atomically: true, encoding: .utf8)
        try """
            instance: kill-test
            inventory: [inventory.yaml]
            secrets: secrets.yaml
            daemon:
              state_dir: \(dir)
              status_socket: \(dir)/status.sock
            queue:
              url: amqp://127.0.0.1:\(server.port)/
              credentials: rabbitmq
              exchange: \(name)
              queue: \(name)
              batch: 10
            """.write(toFile: dir + "/camprobe.yaml", atomically: true, encoding: .utf8)

        // A backlog of 20,000 events, as after a long broker outage.
        let total = 20_000
        var written: [String] = []
        do {
            let store = try StateStore(directory: dir)
            for chunk in 0..<(total / 1000) {
                let events = (0..<1000).map { index in
                    Events.camera("cam-\((chunk * 1000 + index) % 50)", .up, .down, at: Date())
                }
                written += events.map(\.id)
                try store.append(events.map { OutboxItem(event: $0, sinks: [EventRouting.queueSink]) })
            }
        }
        let reader = try StateStore(directory: dir)
        func pending() throws -> Int { try reader.outboxStats(limit: 0).pending[EventRouting.queueSink, default: 0] }

        let first = try Self.start(config: dir + "/camprobe.yaml", log: log)
        try await eventually(timeout: 60, "the daemon published part of the backlog") { try pending() < total - 500 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let left = try pending()
        #expect(left > 0, "killed mid-publish, with events left")

        let restarted = Date()
        let second = try Self.start(config: dir + "/camprobe.yaml", log: log)
        defer {
            // Graceful stop, as systemd does; SIGKILL if it did not stop in 20 s.
            if second.isRunning { second.terminate() }
            let deadline = Date().addingTimeInterval(20)
            while second.isRunning, Date() < deadline { usleep(100_000) }
            if second.isRunning { kill(second.processIdentifier, SIGKILL) }
            second.waitUntilExit()
        }
        try await eventually(timeout: 120, "the restarted daemon drained the backlog") { try pending() == 0 }
        let drained = Date().timeIntervalSince(restarted)
        let consumer = try AMQPConsumer(settings: server.settings(exchange: name, queue: name))
        defer { consumer.close() }
        let ids = try consumer.drain().map(\.messageID)
        let missing = Set(written).subtracting(ids)
        let duplicates = ids.count - Set(ids).count
        print("camprobe SIGKILL: \(total) in the outbox, killed with \(left) left, \(ids.count) delivered, \(missing.count) lost, \(duplicates) duplicates; restart drained \(left) in \(String(format: "%.1f", drained)) s (start-up included)")
        #expect(missing.isEmpty, "lost: \(missing.count)")
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(!output.contains(server.password), "the broker password never reaches the log")
        second.terminate()
        let deadline = Date().addingTimeInterval(20)
        while second.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!second.isRunning, "SIGTERM stops the daemon, relay included")
    }
}

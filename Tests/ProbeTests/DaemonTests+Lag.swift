import Foundation
import Testing

/// The daemon says when its schedule cannot keep up, once, and once more when
/// it caught up: a recorder of 12 channels every 2 s whose every probe takes the
/// whole 2 s handshake timeout, through 2 sessions at once, cannot be probed on
/// time; cut to one channel, it can.
extension DaemonTests {
    @Test func daemon_scheduleThatCannotKeepUp_isReportedOnce_andItsRecoveryOnce() async throws {
        let hostile = try await HostileCamera.shared()
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = "rtsp://127.0.0.1:\(hostile.description.port)/slowloris_head"
        func inventory(_ channels: Int) -> String {
            (1...channels).reduce("cameras:\n") { $0 + camera("slow-\($1)", url) }
        }
        // Behind: over 3 s late for 6 s.
        try writeConfig(dir, inventory: inventory(12), extraDaemon: "  lag_warning: 3\n  sessions_per_host: 2")
        let daemon = try Daemon(dir: dir)
        try await daemon.waitUntilServing()

        let behind = try await scheduleEvents(daemon, count: 1, timeout: 90)
        let first = try #require(behind.first)
        #expect(first["subject"] as? String == "test")
        let data = try #require(first["data"] as? [String: Any])
        #expect(data["state"] as? String == "behind")
        #expect(data["instance"] as? String == "test")
        #expect((data["lag_seconds"] as? Double ?? 0) > 3)
        // 12 cameras every 2 s, 2 s each (1 s window + 1 s): 12 probes in flight on average.
        #expect(data["probes_needed"] as? Double == 12)
        let warnings = daemon.log.split(separator: "\n").filter { $0.contains("the schedule is falling behind") }
        #expect(warnings.count == 1, "said once: \(warnings)")
        #expect(warnings.first?.contains("probes_needed=12") == true)

        // One channel left: on time again, said once.
        try inventory(1).write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
        _ = try daemon.post("/v1/reload")
        let both = try await scheduleEvents(daemon, count: 2, timeout: 90)
        let last = try #require(both.last?["data"] as? [String: Any])
        #expect(last["state"] as? String == "on_time")
        #expect(daemon.log.split(separator: "\n").filter { $0.contains("the schedule caught up") }.count == 1)
        #expect(daemon.log.split(separator: "\n").filter { $0.contains("the schedule is falling behind") }.count == 1)
        let stopped = try await daemon.stop()
        #expect(stopped.status == 0)
    }

    /// The schedule events in the daemon's outbox, once there are `count` of them (bounded).
    private func scheduleEvents(_ daemon: Daemon, count: Int, timeout: Double) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(timeout)
        var events: [[String: Any]] = []
        while Date() < deadline {
            let page = try #require(try daemon.get("/v1/events?type=kz.camprobe.prober.schedule.v1&limit=100") as? [String: Any])
            events = ((page["events"] as? [[String: Any]]) ?? []).compactMap { $0["event"] as? [String: Any] }
            if events.count >= count { return events }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw FleetError("\(events.count) of \(count) schedule events in \(timeout) s; log: \(daemon.log.suffix(1500))")
    }
}

import Foundation
import Testing

extension DaemonTests {
    /// Three one-channel recorders of the replay fleet in playback mode (35 days,
    /// 5 days, 30 days with a hole from 12 to 10 days back), one RTSP session each:
    /// the daemon's live probes and its archive measurements share that one slot.
    @Test func daemon_measuresArchivesOnItsSchedule_withinTheSessionLimit_andKeepsThemOverARestart() async throws {
        let fleet = try ReplayFleet(extraArguments: [
            "--recorders", "3", "--channels", "1", "--clip-mix", "d1_h264:1", "--session-limit", "1",
            "--archive", "0=35", "--archive", "1=5", "--archive", "2=30:12-10",
        ])
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A night window around now (daemon-local time), whatever the hour the test runs.
        let local = Calendar.current.dateComponents([.hour], from: Date()).hour ?? 0
        let window = String(format: "%02d:00-%02d:00", (local + 23) % 24, (local + 2) % 24)
        var inventory = "recorders:\n"
        for index in 0..<3 {
            inventory += """
                  - id: dvr\(index)
                    region: "Абай облысы"
                    district: "Аягөз ауданы"
                    school: "Мектеп №\(index + 1)"
                    host: 127.1.0.\(index + 1)
                    port: \(fleet.description.port)
                    vendor: hikvision
                    kind: digital
                    channels: 1
                    profile: fast
                    archive: {method: rtsp, interval: 3600, window: "\(window)"}

                """
        }
        try writeConfig(dir, inventory: inventory, extraDaemon: "  sessions_per_host: 1\n")
        let daemon = try Daemon(dir: dir)
        try await daemon.waitUntilServing()

        func codes(_ status: [String: Any]) -> [String] {
            ((status["reasons"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
        }
        func days(_ status: [String: Any]) -> Double? { (status["archive"] as? [String: Any])?["days"] as? Double }
        let full = try await daemon.waitFor("dvr0-ch01", timeout: 120) { $0["state"] as? String == "up" && days($0) != nil }
        #expect(abs((days(full) ?? 0) - 35) < 1)
        #expect(codes(full).allSatisfy { !$0.hasPrefix("archive.") && !$0.hasPrefix("probe.") })
        // Degraded once the state machine confirms it (like any other reason).
        let short = try await daemon.waitFor("dvr1-ch01", timeout: 120) {
            codes($0).contains("archive.too_short") && $0["state"] as? String == "degraded"
        }
        #expect(abs((days(short) ?? 0) - 5) < 1)
        let holed = try await daemon.waitFor("dvr2-ch01", timeout: 120) {
            codes($0).contains("archive.gaps") && $0["state"] as? String == "degraded"
        }
        #expect(codes(holed).contains("archive.too_short"))
        let gaps = try #require((holed["archive"] as? [String: Any])?["gaps"] as? [[String: Any]])
        #expect(gaps.count == 1)

        // The status API filters by archive reason.
        let filtered = try #require(try daemon.get("/v1/cameras?reason=archive.too_short") as? [String: Any])
        let ids = ((filtered["cameras"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
        #expect(ids == ["dvr1-ch01", "dvr2-ch01"])
        // The transition to degraded is in the history, with its archive reason.
        let detail = try #require(try daemon.get("/v1/cameras/dvr1-ch01") as? [String: Any])
        let history = try #require(detail["history"] as? [[String: Any]])
        #expect(history.contains { ($0["to"] as? String) == "degraded" && "\($0["reasons"] ?? "")".contains("archive.too_short") })

        // No probe or measurement ever met a full recorder.
        let log = daemon.log
        #expect(!log.contains("session_limit") && !log.contains("archive not measured"), "\(log.suffix(2000))")
        #expect(log.components(separatedBy: "archive measured").count - 1 == 3)

        // A restart keeps the measurements (not due again for an hour): the verdicts come back without a new one.
        #expect(try await daemon.stop().status == 0)
        let again = try Daemon(dir: dir)
        try await again.waitUntilServing()
        let restored = try await again.waitFor("dvr1-ch01", timeout: 60) {
            ($0["last_probe"] as? String) != (short["last_probe"] as? String) && codes($0).contains("archive.too_short")
        }
        #expect(abs((days(restored) ?? 0) - 5) < 1)
        #expect(!again.log.contains("archive measured"))
        _ = try await again.stop()
    }
}

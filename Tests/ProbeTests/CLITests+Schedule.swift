import Foundation
import Testing

/// `camprobe check-config` predicts what the schedule needs (Little's law) and
/// warns when a limit makes the intervals impossible: a region of 17,432
/// cameras behind 903 recorders, every 300 s.
extension CLITests {
    /// Zhambyl's shape: 628 DVRs of 19 channels and 275 of 20 (17,432 cameras).
    func regionConfig(daemon: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-region-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var inventory = "recorders:\n"
        for index in 0..<903 {
            inventory += """
                  - id: dvr-\(index)
                    region: Жамбыл облысы
                    district: District \(index % 10)
                    school: School \(index)
                    host: 10.\(index / 250).\(index % 250).1
                    vendor: hikvision
                    channels: \(index < 628 ? 19 : 20)

                """
        }
        try inventory.write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
        try "inventory: [inventory.yaml]\n\(daemon)".write(
            to: dir.appendingPathComponent("camprobe.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func checkConfig_32AtOnceForARegion_warnsWithWhatItNeeds() throws {
        let dir = try regionConfig(daemon: "daemon:\n  max_concurrent_probes: 32\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try camprobe(["check-config", "--config", dir.appendingPathComponent("camprobe.yaml").path])
        #expect(run.status == 0, "a warning, not a problem: \(run.stdout)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("config OK: 17432 cameras") == true, "\(lines)")
        // 17,432 / 300 s = 58.1 probes/s, 3 s each (2 s window + 1 s): 174.3 in flight.
        #expect(lines.contains(
            "schedule: 17432 cameras, 58.1 probes/s, about 174 probes in flight on average (3.0 s each); 32 probes at once (daemon.max_concurrent_probes)"),
            "\(lines)")
        let warning = try #require(lines.first { $0.hasPrefix("warning: daemon.max_concurrent_probes 32 ") }, "\(lines)")
        #expect(warning.contains("cannot keep 17432 cameras on their intervals: they need about 175 probes at once"))
        #expect(warning.contains("5.4 times less often than its interval"))
        #expect(warning.contains("size it from the inventory (262)"))
        #expect(!lines.contains { $0.contains("sessions_per_host") }, "20 channels every 300 s fit in 2 sessions")
    }

    @Test func checkConfig_region_sizedFromTheInventory_hasNoWarning() throws {
        let dir = try regionConfig(daemon: "")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try camprobe(["check-config", "--config", dir.appendingPathComponent("camprobe.yaml").path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("; 262 probes at once (sized from the inventory)"), "\(run.stdout)")
        #expect(!run.stdout.contains("warning:"), "\(run.stdout)")
    }

    @Test func checkConfig_recorderWithTooManyChannelsForItsSessions_isNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-dvr-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // 64 channels every 60 s, 3 s each: 3.2 sessions at once on a device allowing 2.
        try """
            recorders:
              - id: big-nvr
                region: R
                district: D
                school: S
                host: 10.9.9.9
                vendor: dahua
                channels: 64
                overrides:
                  interval: 60
            """.write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
        try "inventory: [inventory.yaml]\n".write(to: dir.appendingPathComponent("camprobe.yaml"), atomically: true, encoding: .utf8)
        let run = try camprobe(["check-config", "--config", dir.appendingPathComponent("camprobe.yaml").path])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains(
            "warning: daemon.sessions_per_host 2: the cameras behind 10.9.9.9 need about 3.2 sessions at once to be probed on their intervals"),
            "\(run.stdout)")
    }
}

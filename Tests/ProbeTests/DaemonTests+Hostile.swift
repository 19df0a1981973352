import Foundation
import Testing

/// The daemon among hostile cameras: a region's inventory is certain to hold
/// some. They must end `down` with their own reason, while the daemon stays up
/// and the healthy cameras keep being probed on schedule.
extension DaemonTests {
    @Test func daemon_amongHostileCameras_staysUp_hostileOnesDownWithTheirReason_healthyOnesProbedOnSchedule() async throws {
        let fleet = try await TestFleet.shared()
        let hostile = try await HostileCamera.shared()
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Each hostile case and the reason it must end with.
        let expected = [
            "head_200k_midstream": "probe.protocol",
            "flood_requests_handshake": "probe.protocol",
            "one_timestamp_fragments": "probe.protocol",
            "redirect_cross_host": "probe.redirect",
            "redirect_loop_self": "probe.redirect",
            "sps_65536x65536": "probe.undecodable",
            "slowloris_head": "probe.timeout.handshake",
            "auth_basic_echo_reason": "probe.protocol",
        ]
        // The healthy cameras by name, so they are another host than the hostile ones.
        let healthy = [
            "good1": try fleet.url("h264_5fps").replacingOccurrences(of: "127.0.0.1", with: "localhost"),
            "good2": try fleet.url("with_audio").replacingOccurrences(of: "127.0.0.1", with: "localhost"),
        ]
        var inventory = "cameras:\n"
        for (id, url) in healthy.sorted(by: { $0.key < $1.key }) { inventory += camera(id, url, school: "Мектеп №2") }
        // Inventory URLs never hold credentials: they come from the secrets file.
        for name in expected.keys.sorted() {
            inventory += camera(name.replacingOccurrences(of: "_", with: "-"), "rtsp://127.0.0.1:\(hostile.description.port)/\(name)")
                + "    credentials: hostile\n"
        }
        try writeConfig(dir, inventory: inventory, extraDaemon: "secrets: secrets.yaml")
        let secrets = dir.appendingPathComponent("secrets.yaml")
        try "hostile:\n  username: \(hostile.description.user)\n  password: \"\(hostile.description.password)\"\n"
            .write(to: secrets, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets.path)
        let daemon = try Daemon(dir: dir)
        try await daemon.waitUntilServing()

        for (name, code) in expected {
            let status = try await daemon.waitFor(name.replacingOccurrences(of: "_", with: "-"), timeout: 90) { $0["state"] as? String == "down" }
            let reasons = try #require(status["reasons"] as? [[String: Any]])
            #expect(reasons.first?["code"] as? String == code, "\(name): \(reasons)")
            #expect(daemon.process.isRunning)
        }

        // The healthy cameras are up, and their probes keep coming on the 2 s
        // schedule while the hostile ones keep failing. A probe itself takes
        // 1.5–2.5 s here (1 s window, first keyframe), so the bound is one probe
        // per 4 s: at least 5 in 20 s.
        var seen: [String: Set<String>] = [:]
        let until = Date().addingTimeInterval(20)
        while Date() < until {
            for id in healthy.keys {
                let status = try daemon.camera(id)
                #expect(status["state"] as? String == "up", "\(id): \(status)")
                if let last = status["last_probe"] as? String { seen[id, default: []].insert(last) }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        for id in healthy.keys { #expect(seen[id, default: []].count >= 5, "\(id) probed at \(seen[id, default: []].sorted())") }
        #expect(daemon.process.isRunning)
        #expect(try daemon.get("/v1/health") is [String: Any])

        // The password is nowhere the daemon writes: its log, its API.
        let everything = daemon.log + String(decoding: try JSONSerialization.data(withJSONObject: try daemon.get("/v1/cameras")), as: UTF8.self)
        for secret in hostile.secretForms { #expect(!everything.contains(secret), "leaked as \(secret)") }
        // And the host it does not belong to got nothing.
        #expect(try hostile.receivedElsewhere("redirect_cross_host").isEmpty)

        let stopped = try await daemon.stop()
        #expect(stopped.status == 0)
    }
}

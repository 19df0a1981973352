import Foundation
import Testing
import WebhookTestSupport

/// `camprobe run` as systemd runs it: a real process with a real config, state
/// directory and status socket, probing the real fleet; queried with
/// `curl --unix-socket`, stopped with real signals.
@Suite(.serialized)
struct DaemonTests {
    /// A running daemon and its files.
    final class Daemon: @unchecked Sendable {
        let dir: URL
        let process: Process
        let logPath: String

        var socket: String { dir.appendingPathComponent("status.sock").path }
        var config: String { dir.appendingPathComponent("camprobe.yaml").path }

        init(dir: URL) throws {
            self.dir = dir
            logPath = dir.appendingPathComponent("daemon-\(UUID().uuidString.prefix(8)).log").path
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            process = Process()
            process.executableURL = CLITests.binary
            process.arguments = ["run", "--config", dir.appendingPathComponent("camprobe.yaml").path, "--metrics-address", "off"]
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.standardOutput = log
            process.standardError = log
            try process.run()
        }

        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        /// Waits (bounded) for the status socket to answer.
        func waitUntilServing(timeout: Double = 60) async throws {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if (try? get("/v1/health")) != nil { return }
                if !process.isRunning { throw FleetError("the daemon exited (\(process.terminationStatus)): \(log.suffix(800))") }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw FleetError("the daemon's status socket did not answer in \(timeout) s: \(log.suffix(800))")
        }

        func get(_ path: String) throws -> Any {
            try Self.curl(["--unix-socket", socket, "-sf", "http://localhost" + path])
        }

        func post(_ path: String) throws -> Any {
            try Self.curl(["--unix-socket", socket, "-sf", "-X", "POST", "http://localhost" + path])
        }

        static func curl(_ arguments: [String]) throws -> Any {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = arguments
            let out = Pipe()
            curl.standardOutput = out
            curl.standardError = FileHandle.nullDevice
            try curl.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            curl.waitUntilExit()
            guard curl.terminationStatus == 0 else { throw FleetError("curl \(arguments.last ?? "") failed (\(curl.terminationStatus))") }
            return try JSONSerialization.jsonObject(with: data)
        }

        func camera(_ id: String) throws -> [String: Any] {
            let detail = try #require(try get("/v1/cameras/\(id)") as? [String: Any])
            return try #require(detail["status"] as? [String: Any])
        }

        /// Polls (bounded) until `condition` holds for the camera's status.
        func waitFor(_ id: String, timeout: Double = 40, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(timeout)
            var last: [String: Any] = [:]
            while Date() < deadline {
                last = try camera(id)
                if condition(last) { return last }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw FleetError("camera \(id) never reached the expected status; last: \(last)")
        }

        /// SIGTERM and wait; returns seconds taken and the exit status.
        func stop() async throws -> (seconds: Double, status: Int32) {
            let started = Date()
            process.terminate()
            while process.isRunning, Date().timeIntervalSince(started) < 20 {
                try await Task.sleep(for: .milliseconds(50))
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return (Date().timeIntervalSince(started), process.terminationStatus)
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// A config dir: cameras (id, URL, school, recorder) probed every 2 s, down
    /// after 2 failed probes.
    func writeConfig(_ dir: URL, inventory: String, extraDaemon: String = "") throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
            fast:
              extends: digital-main
              min_width: 640
              min_height: 360
              min_frame_rate: 4
              warn_frame_rate: 4
              interval: 2
            """.write(to: dir.appendingPathComponent("profiles.yaml"), atomically: true, encoding: .utf8)
        try inventory.write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
        try """
            instance: test
            language: en
            inventory: [inventory.yaml]
            profiles: profiles.yaml
            probe:
              window: 1
              timeout: 2
            daemon:
              state_dir: \(dir.path)
              status_socket: \(dir.appendingPathComponent("status.sock").path)
              failures_to_down: 2
              successes_to_recover: 2
            \(extraDaemon)
            """.write(to: dir.appendingPathComponent("camprobe.yaml"), atomically: true, encoding: .utf8)
    }

    func camera(_ id: String, _ url: String, school: String = "Мектеп №1") -> String {
        """
          - id: \(id)
            region: "Абай облысы"
            district: "Аягөз ауданы"
            school: "\(school)"
            url: "\(url)"
            profile: fast

        """
    }

    func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-daemon-\(UUID().uuidString.prefix(8))")
    }

    @Test func daemon_cameraThatFails_goesDownAfterNProbes_andStateSurvivesRestart() async throws {
        let fleet = try await TestFleet.shared()
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeConfig(dir, inventory: "cameras:\n"
            + camera("good", try fleet.url("h264_5fps").replacingOccurrences(of: "127.0.0.1", with: "localhost"), school: "Мектеп №2")
            + camera("gone", try fleet.url("closed")))
        let daemon = try Daemon(dir: dir)
        try await daemon.waitUntilServing()

        let good = try await daemon.waitFor("good") { $0["state"] as? String == "up" }
        #expect(good["width"] as? Int == 1280)
        // Down only once two probes in a row failed: never after the first.
        let down = try await daemon.waitFor("gone") { $0["state"] as? String == "down" }
        let reasons = try #require(down["reasons"] as? [[String: Any]])
        #expect(reasons.first?["code"] as? String == "probe.refused")
        let detail = try #require(try daemon.get("/v1/cameras/gone") as? [String: Any])
        let history = try #require(detail["history"] as? [[String: Any]])
        #expect(history.count == 1)
        #expect(history.first?["to"] as? String == "down")
        #expect(history.first?["from"] as? String == "unknown")
        let lines = daemon.log.split(separator: "\n")
        #expect(lines.filter { $0.contains("camera=gone") && $0.contains("to=down") }.count == 1)
        #expect(lines.contains { $0.contains("camera down") && $0.contains("camera=gone") })

        // Summary: one of two cameras down.
        let summary = try #require(try daemon.get("/v1/summary?by=region") as? [String: Any])
        let row = try #require((summary["rows"] as? [[String: Any]])?.first)
        #expect(row["cameras"] as? Int == 2)
        #expect(row["down"] as? Int == 1)
        #expect(row["up"] as? Int == 1)

        // Restart: the state and its history come back from SQLite.
        let stopped = try await daemon.stop()
        #expect(stopped.status == 0)
        let again = try Daemon(dir: dir)
        try await again.waitUntilServing()
        let restored = try again.camera("gone")
        #expect(restored["state"] as? String == "down")
        #expect(restored["since"] as? String == down["since"] as? String)
        let restoredDetail = try #require(try again.get("/v1/cameras/gone") as? [String: Any])
        #expect((restoredDetail["history"] as? [[String: Any]])?.count == 1)
        _ = try await again.stop()
    }

    @Test func daemon_dvrWhoseChannelsAllFail_isOneHostDownWithCamerasAffected() async throws {
        let fleet = try await TestFleet.shared()
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A 4-channel Hikvision DVR on a port nothing listens on; a healthy camera
        // elsewhere (another host name, another school).
        let inventory = """
            recorders:
              - id: dvr1
                region: "Абай облысы"
                district: "Аягөз ауданы"
                school: "Мектеп №1"
                host: 127.0.0.1
                port: \(fleet.description.closedPort)
                vendor: hikvision
                channels: 4
                profile: fast
            cameras:

            """ + camera("good", try fleet.url("h264_5fps").replacingOccurrences(of: "127.0.0.1", with: "localhost"), school: "Мектеп №2")
        // Alerts go to a real HTTP receiver (Slack format, no digest delay).
        let receiver = try WebhookReceiver()
        try writeConfig(dir, inventory: inventory, extraDaemon: """
            webhooks:
              digest_window: 0
              routes:
                - name: ops
                  format: slack
                  url: http://127.0.0.1:\(receiver.port)/hooks/ops
            """)
        let daemon = try Daemon(dir: dir)
        try await daemon.waitUntilServing()
        for channel in 1...4 {
            let status = try await daemon.waitFor("dvr1-ch0\(channel)") { $0["state"] as? String == "down" }
            #expect((status["affected_by"] as? String)?.isEmpty == false, "dvr1-ch0\(channel): \(status)")
        }
        _ = try await daemon.waitFor("good") { $0["state"] as? String == "up" }
        let lines = daemon.log.split(separator: "\n")
        // The host is reported once; its cameras are not alerted one by one.
        #expect(lines.filter { $0.contains("host down") }.count == 1, "\(lines.filter { $0.contains("down") })")
        #expect(lines.filter { $0.contains("warning") && $0.contains("camera down") }.isEmpty)

        // The outbox: one host event routed to the webhook; the channels' own
        // transitions are recorded as covered by the host and routed nowhere.
        var hostEvent: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(30)
        var entries: [[String: Any]] = []
        while Date() < deadline {
            let page = try #require(try daemon.get("/v1/events?limit=1000") as? [String: Any])
            entries = try #require(page["events"] as? [[String: Any]])
            let hosts = entries.filter { ($0["event"] as? [String: Any])?["type"] as? String == "kz.camprobe.host.state.v1" }
            if let first = hosts.first, (first["pending"] as? [String])?.isEmpty == true {
                hostEvent = first
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(((hostEvent["event"] as? [String: Any])?["data"] as? [String: Any])?["state"] as? String == "down", "\(entries)")
        let channelEvents = entries.compactMap { $0["event"] as? [String: Any] }.filter {
            ($0["subject"] as? String)?.hasPrefix("dvr1-ch") == true && $0["type"] as? String == "kz.camprobe.camera.state.v1"
        }
        #expect(channelEvents.count == 4)
        #expect(channelEvents.allSatisfy { ($0["data"] as? [String: Any])?["alerted"] as? Bool == false })
        let requests = try receiver.received().requests
        #expect(requests.count == 1, "one grouped alert for the DVR: \(requests.map { String(decoding: $0.body, as: UTF8.self) })")
        let text = String(decoding: requests.first?.body ?? [], as: UTF8.self)
        #expect(text.contains("Recorder/host down: 127.0.0.1"), "\(text)")
        _ = try await daemon.stop()
    }

    @Test func daemon_sighupWithBrokenConfig_keepsRunningTheOldOne() async throws {
        let fleet = try await TestFleet.shared()
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeConfig(dir, inventory: "cameras:\n" + camera("one", try fleet.url("h264_5fps")))
        let daemon = try Daemon(dir: dir)
        try await daemon.waitUntilServing()
        _ = try await daemon.waitFor("one") { $0["state"] as? String == "up" }

        try "cameras:\n  - id: [broken\n".write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        while !daemon.log.contains("reload rejected"), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(daemon.log.contains("reload rejected"))
        #expect(daemon.process.isRunning)
        #expect(try daemon.camera("one")["state"] as? String == "up")

        // A good config is taken: the new camera appears, the old keeps its state.
        try writeConfig(dir, inventory: "cameras:\n" + camera("one", try fleet.url("h264_5fps")) + camera("two", try fleet.url("h264_d1")))
        kill(daemon.process.processIdentifier, SIGHUP)
        let list = try await pollCameras(daemon, count: 2)
        #expect(list == ["one", "two"])
        #expect(try daemon.camera("one")["state"] as? String == "up")
        _ = try await daemon.stop()
    }

    func pollCameras(_ daemon: Daemon, count: Int) async throws -> [String] {
        let deadline = Date().addingTimeInterval(10)
        var ids: [String] = []
        while Date() < deadline {
            let body = try daemon.get("/v1/cameras")
            let cameras = (body as? [String: Any])?["cameras"] as? [[String: Any]] ?? (body as? [[String: Any]]) ?? []
            ids = cameras.compactMap { $0["id"] as? String }.sorted()
            if ids.count == count { return ids }
            try await Task.sleep(for: .milliseconds(100))
        }
        return ids
    }

    @Test func daemon_sigtermDuringProbes_exitsCleanlyWithin10Seconds() async throws {
        let fleet = try await TestFleet.shared()
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Cameras that hold probes open: silent ones time out only after their
        // handshake timeout; live ones stream.
        var inventory = "cameras:\n"
        for i in 0..<4 { inventory += camera("silent\(i)", try fleet.url("silent") + "\(i)") }
        inventory += camera("live", try fleet.url("h264_5fps"))
        try writeConfig(dir, inventory: inventory)
        let daemon = try Daemon(dir: dir)
        try await daemon.waitUntilServing()
        // Probes are in flight once the schedule's first phase has come round.
        _ = try await daemon.waitFor("live", timeout: 20) { $0["last_probe"] != nil }
        for i in 0..<4 { _ = try daemon.post("/v1/cameras/silent\(i)/probe") }
        try await Task.sleep(for: .milliseconds(300))
        let stopped = try await daemon.stop()
        #expect(stopped.status == 0, "\(daemon.log.suffix(600))")
        #expect(stopped.seconds < 10)
        #expect(daemon.log.contains("camprobe stopped"))
        // No session left on the camera that was streaming.
        #expect(!FileManager.default.fileExists(atPath: daemon.socket))
    }
}

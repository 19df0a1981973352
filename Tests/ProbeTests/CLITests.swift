import Foundation
import Testing

/// The `camprobe` executable as operators run it: exit codes, redaction, JSON.
@Suite(.serialized)
struct CLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var binary: URL {
        // The test runner lives in the build's products directory, beside camprobe.
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("camprobe")
    }

    func camprobe(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func probe_healthyCamera_exits0WithTable() async throws {
        let fleet = try await TestFleet.shared()
        let run = try camprobe(["probe", try fleet.url("h264_5fps")])
        #expect(run.status == 0)
        let row = try #require(run.stdout.split(separator: "\n").dropFirst().first)
        #expect(row.contains("up"))
        #expect(row.contains("1280x720"))
        #expect(row.contains("5.00"))
    }

    @Test func probe_oneCameraDown_exits1AndRedactsCredentials() async throws {
        let fleet = try await TestFleet.shared()
        let run = try camprobe(["probe", "--timeout", "2", try fleet.url("auth_ok"), try fleet.url("auth_wrong")])
        #expect(run.status == 1)
        #expect(!run.stdout.contains("s3cret"))
        #expect(!run.stdout.contains("wrong"))
        #expect(!run.stdout.contains("admin"))
        #expect(run.stdout.contains("rtsp://***@127.0.0.1:"))
        #expect(run.stdout.contains("unauthorized"))
    }

    @Test func probe_json_isOneDocumentPerURLAsArray() async throws {
        let fleet = try await TestFleet.shared()
        let run = try camprobe(["probe", "--json", "--timeout", "2", try fleet.url("h264_d1"), try fleet.url("closed")])
        #expect(run.status == 1)
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(documents.count == 2)
        #expect(documents[0]["status"] as? String == "up")
        let video = try #require((documents[0]["report"] as? [String: Any])?["video"] as? [String: Any])
        #expect(video["width"] as? Int == 704)
        #expect(video["height"] as? Int == 576)
        #expect(documents[1]["status"] as? String == "down")
        let reasons = try #require(documents[1]["reasons"] as? [[String: Any]])
        #expect(reasons.first?["code"] as? String == "refused")
    }

    @Test func probe_singleURLJSON_isAnObject() async throws {
        let fleet = try await TestFleet.shared()
        let run = try camprobe(["probe", "--json", try fleet.url("closed")])
        #expect(run.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["status"] as? String == "down")
    }

    @Test func probe_malformedURL_exits2WithoutEchoingIt() throws {
        let run = try camprobe(["probe", "rtsp://admin:topsecret@cam:99999/x"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("URL argument 1 is not a stream URL"))
        #expect(!run.stderr.contains("topsecret"))
        #expect(run.stdout.isEmpty)
    }

    @Test func probe_unknownOption_exits2() throws {
        let run = try camprobe(["probe", "--no-such-option", "rtsp://cam/x"])
        #expect(run.status == 2)
    }

    @Test func probe_noURL_exits2() throws {
        #expect(try camprobe(["probe"]).status == 2)
    }
}

extension CLITests {
    /// The shipped sample config, with its secrets file made as an operator would.
    func sampleConfig() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-sample-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestFleet.repositoryRoot.appendingPathComponent("config"), to: dir)
        let secrets = dir.appendingPathComponent("secrets.yaml")
        try? FileManager.default.removeItem(at: secrets)  // an operator's own, in a working copy
        try FileManager.default.copyItem(at: dir.appendingPathComponent("secrets.example.yaml"), to: secrets)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets.path)
        return dir
    }

    @Test func checkConfig_shippedSample_exits0WithSummary() throws {
        let dir = try sampleConfig()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try camprobe(["check-config", "--config", dir.appendingPathComponent("camprobe.yaml").path])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.hasPrefix("config OK: "))
    }

    @Test func checkConfig_secretsReadableByOthers_exits1NamingTheFix() throws {
        let dir = try sampleConfig()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.appendingPathComponent("secrets.yaml").path)
        let run = try camprobe(["check-config", "--config", dir.appendingPathComponent("camprobe.yaml").path])
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("(mode 0644): run chmod 600 on it") == true, "\(lines)")
        #expect(lines.last == "1 problem")
    }

    @Test func checkConfig_unknownKeys_exits1WithOneLineEach() throws {
        let path = TestFleet.repositoryRoot.appendingPathComponent("Tests/CamProbeConfigTests/testdata/invalid/config-unknown-key.yaml").path
        let run = try camprobe(["check-config", "--config", path])
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            path + ":1:1: missing key 'inventory' in the config (a list of inventory files)",
            path + ":2:1: unknown key 'inventroy' in the config (allowed: instance, language, inventory, secrets, profiles, probe, daemon, events, queue, webhooks, snapshots)",
            path + ":5:3: unknown key 'windw' in probe (allowed: window, timeout, transport, rtsp_client, concurrency)",
            "3 problems",
        ])
    }

    @Test func checkConfig_missingFile_exits1() throws {
        let run = try camprobe(["check-config", "--config", "/nonexistent/camprobe.yaml"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("/nonexistent/camprobe.yaml"))
    }

    @Test func probeConfig_unknownCamera_exits2() throws {
        let dir = try sampleConfig()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try camprobe(["probe", "--config", dir.appendingPathComponent("camprobe.yaml").path, "--camera", "no-such-camera"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no camera in the inventory matches camera id 'no-such-camera'"))
    }

    @Test func probeConfig_needsExactlyOneSelector() throws {
        #expect(try camprobe(["probe", "--config", "x.yaml"]).status == 2)
        #expect(try camprobe(["probe", "--config", "x.yaml", "--camera", "a", "--region", "b"]).status == 2)
        #expect(try camprobe(["probe", "--camera", "a"]).status == 2)
    }
}

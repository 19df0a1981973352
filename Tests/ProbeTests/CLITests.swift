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

import Foundation
import Testing

/// `camprobe status` as operators run it, against the real server.
struct StatusCommandTests {
    static var binary: String {
        // The test runner lives in the build's products directory, beside camprobe.
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("camprobe").path
    }

    func camprobe(_ arguments: [String]) async throws -> ProcessRun {
        try await ProcessRun.run(Self.binary, ["status"] + arguments)
    }

    @Test func cameras_isTheDefault_andAlignsCyrillicColumnsByCharacter() async throws {
        try await withServer { server in
            let run = try await camprobe(["--socket", server.socketPath, "--state", "down"])
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            try #require(lines.count == 5)
            #expect(lines.last == "3 cameras")
            let header = lines[0]
            #expect(header.hasPrefix("CAMERA"))
            // Every row's STATE cell starts at the header's STATE column, counted in characters.
            let column = header.distance(from: header.startIndex, to: header.range(of: "STATE")!.lowerBound)
            for row in lines[1...3] {
                #expect(String(row.dropFirst(column).prefix(4)) == "down", "row: \(row)")
            }
            #expect(run.stdout.contains("Бесқарағай ауданы"))
            #expect(run.stdout.contains("down (flapping)"))
            #expect(run.stdout.contains("affected by host 10.30.1.2 down; Камера не принимает подключение"))
        }
    }

    @Test func summary_printsPercentagesWithOneDecimalAndATotal() async throws {
        try await withServer { server in
            let run = try await camprobe(["summary", "--socket", server.socketPath])
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            try #require(lines.count == 4)
            #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                == "REGION CAMERAS UP DEGRADED DOWN UNKNOWN UP % DEGRADED % DOWN % NOT UP %")
            let abai = lines[1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(abai.suffix(9) == ["4", "0", "1", "3", "0", "0.0", "25.0", "75.0", "100.0"])
            let total = lines[3].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(total == ["total", "6", "1", "1", "3", "1", "20.0", "20.0", "60.0", "80.0"])
            // Numbers are right-aligned: every line has the same length in characters.
            #expect(Set(lines.map(\.count)).count == 1)
        }
    }

    @Test func summary_json_printsTheServersDocument() async throws {
        try await withServer { server in
            let run = try await camprobe(["--json", "--socket", server.socketPath, "summary", "--by", "district"])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            #expect(json["by"] as? String == "district")
            #expect((json["rows"] as? [Any])?.count == 3)
        }
    }

    @Test func camera_whenDown_printsHistoryAndExits1() async throws {
        try await withServer { server in
            let run = try await camprobe(["camera", "semey12-cam01", "--socket", server.socketPath])
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stdout.contains("HISTORY"))
            #expect(run.stdout.contains("Изображение не меняется (кадр застыл) [picture.frozen, failure]"))
            #expect(run.stdout.contains("h264, 1920x1080, 25.00 fps, keyframe every 1.00 s, 2359 kbit/s"))
            let up = try await camprobe(["camera", "taraz5-cam01", "--socket", server.socketPath])
            #expect(up.status == 0, "\(up.stderr)")
        }
    }

    @Test func camera_whenUnknown_saysSoOnStderrAndExits1() async throws {
        try await withServer { server in
            let run = try await camprobe(["camera", "nope", "--socket", server.socketPath])
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr == "camprobe status: camprobe answered 404 camera_not_found: no camera with id 'nope'\n")
        }
    }

    @Test func reload_whenRefused_printsEveryProblemAndExits1() async throws {
        try await withServer { server in
            server.source.setReloadResult(.init(ok: false, problems: ["a.yaml:1:1: x", "b.csv:row 2, column id: y"], cameras: 0))
            let run = try await camprobe(["reload", "--socket", server.socketPath])
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr == """
                camprobe status: camprobe answered 422 config_invalid: the new configuration has 2 problems; the running one stays
                  a.yaml:1:1: x
                  b.csv:row 2, column id: y

                """)
            let json = try await camprobe(["reload", "--json", "--socket", server.socketPath])
            #expect(json.status == 1)
            #expect(json.stdout.contains(#""code" : "config_invalid""#))
        }
    }

    @Test func probe_queuesAndSaysSo() async throws {
        try await withServer { server in
            let run = try await camprobe(["probe", "semey12-cam02", "--socket", server.socketPath])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "probe of semey12-cam02 queued\n")
            #expect(server.source.probed == ["semey12-cam02"])
        }
    }

    @Test func daemonUnreachable_exits1WithTheReason() async throws {
        let run = try await camprobe(["--socket", "/tmp/camprobe-no-such-dir-4711/status.sock"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr == "camprobe status: cannot connect to /tmp/camprobe-no-such-dir-4711/status.sock: no such file (is camprobe running?)\n")
    }

    @Test(arguments: [["frob"], ["camera"], ["--by", "school"], ["camera", "x", "--state", "down"], ["--state", "sideways"]])
    func usageError_exits2(arguments: [String]) async throws {
        let run = try await camprobe(arguments)
        #expect(run.status == 2, "\(run.stderr)")
    }
}

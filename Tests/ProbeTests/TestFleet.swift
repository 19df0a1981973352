import Foundation
import Testing
import WebhookTestSupport

/// The GStreamer camera fleet (`scripts/fleet.py`), started once per test
/// process and shared by every test that needs a camera. It dies with the test
/// process: it exits when its stdin (a pipe held here) reaches end of file.
/// When it cannot start, the tests that need it fail; they never skip.
final class TestFleet: Sendable {
    struct Description: Decodable, Sendable {
        let rtspPort: Int
        let authPort: Int
        let silentPort: Int
        let closedPort: Int
        let httpPort: Int
        let fileDir: String
        let cameras: [String: String]
    }

    let description: Description
    /// The line the fleet printed when ready (what scripts/demo-config reads).
    let line: String
    private let process: Process
    private let stdinPipe: Pipe

    static let repositoryRoot: URL = {
        // Tests/ProbeTests/TestFleet.swift → repository root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// The shared fleet. Started on first use.
    static func shared() async throws -> TestFleet {
        try await Starter.shared.fleet()
    }

    private actor Starter {
        static let shared = Starter()
        private var started: Result<TestFleet, any Error>?

        func fleet() throws -> TestFleet {
            if let started { return try started.get() }
            let result = Result { try TestFleet(scale: 0) }
            started = result
            return try result.get()
        }
    }

    /// `ownAddresses`: every named camera on a loopback address of its own
    /// (`fleet.py --own-addresses`, as scripts/demo runs it).
    init(scale: Int, ownAddresses: Bool = false) throws {
        let script = Self.repositoryRoot.appendingPathComponent("scripts/fleet.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, "--scale", String(scale)] + (ownAddresses ? ["--own-addresses"] : [])
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        let stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-fleet-\(getpid()).log")
        _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderrPath)
        do {
            try process.run()
        } catch {
            throw FleetError("cannot start the test camera fleet (/usr/bin/python3 \(script)): \(error)")
        }
        // One JSON line when ready; bounded so a broken GStreamer fails the tests
        // instead of hanging them.
        let line = Self.readLine(from: stdoutPipe.fileHandleForReading, timeout: 90)
        guard let line, let data = line.data(using: .utf8),
              let description = try? Self.decoder.decode(Description.self, from: data) else {
            process.terminate()
            let log = (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? ""
            throw FleetError("the test camera fleet did not start (GStreamer RTSP server; see \(stderrPath.path)): \(log.suffix(600))")
        }
        self.description = description
        self.line = line
        self.process = process
        self.stdinPipe = stdinPipe
    }

    deinit {
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
    }

    func url(_ camera: String) throws -> String {
        guard let url = description.cameras[camera] else { throw FleetError("the fleet has no camera named \(camera)") }
        return url
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// One line of a fixture's stdout, waited for at most `timeout` seconds.
    static func readLine(from handle: FileHandle, timeout: Double) -> String? {
        FixtureProcess.readLine(from: handle, timeout: timeout)
    }
}

struct FleetError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation
import Testing

/// The realistic scenes (`scripts/scenes.py`, generated once into a cache directory)
/// replayed over RTSP by `scripts/replay-fleet.py`, one camera per scene (the camera is
/// named after its scene), started once per test process and shared. It dies with the
/// test process: it exits when its stdin (a pipe held here) reaches end of file. When
/// the scenes cannot be made or the fleet cannot start, the tests that need it fail;
/// they never skip.
final class ReplayFleet: Sendable {
    struct Description: Decodable, Sendable {
        let port: Int
        let addresses: [String]
        let cameras: [String: String]
    }

    let description: Description
    private let process: Process
    private let stdinPipe: Pipe

    /// Where the generated clips are kept between runs (`$CAMPROBE_SCENE_CACHE`, else
    /// `/tmp/camprobe-scenes`): making them takes a few minutes once; later runs find
    /// them current (the generator's version is in each clip's JSON) and start at once.
    static var cacheDirectory: String {
        ProcessInfo.processInfo.environment["CAMPROBE_SCENE_CACHE"] ?? "/tmp/camprobe-scenes"
    }

    /// Generous: all scenes take 2-4 minutes on 2 busy cores; a cached run takes a second.
    static let generationTimeout: Double = 900

    /// The shared fleet: every scene as a camera, default options. Started on first use.
    static func shared() async throws -> ReplayFleet {
        try await Starter.shared.fleet()
    }

    private actor Starter {
        static let shared = Starter()
        private var started: Result<ReplayFleet, any Error>?

        func fleet() throws -> ReplayFleet {
            if let started { return try started.get() }
            let result = Result { try ReplayFleet() }
            started = result
            return try result.get()
        }
    }

    /// A fleet of its own (not shared), e.g. with `["--session-limit", "2"]` or
    /// `["--auth", "admin:s3cret"]` or `["--clock-offset", "still_noise_1080p=-3600"]`.
    init(extraArguments: [String] = []) throws {
        let root = TestFleet.repositoryRoot
        let cache = Self.cacheDirectory
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-replay-\(getpid())-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        let tail = { () -> String in
            String(((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(800))
        }

        // The scene names (the contract the tests use), then the scenes themselves.
        let scenesScript = root.appendingPathComponent("scripts/scenes.py").path
        let names = try Self.sceneNames(script: scenesScript, stderr: logHandle, log: log)

        let (generated, finished) = try Self.run(["/usr/bin/python3", scenesScript, "--out", cache], stdout: logHandle,
                                                 stderr: logHandle, timeout: Self.generationTimeout,
                                                 what: "the scene generator (scripts/scenes.py)")
        guard finished else {
            throw FleetError("the scene generator did not finish in \(Int(Self.generationTimeout)) s (see \(log.path)): \(tail())")
        }
        guard generated == 0 else {
            throw FleetError("the scene generator failed (\(generated); see \(log.path)): \(tail())")
        }

        // The fleet: one camera per scene.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [root.appendingPathComponent("scripts/replay-fleet.py").path, "--clips", cache]
            + names.flatMap { ["--camera", "\($0)=\($0)"] } + extraArguments
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = logHandle
        do {
            try process.run()
        } catch {
            throw FleetError("cannot start the replay fleet (/usr/bin/python3 scripts/replay-fleet.py): \(error)")
        }
        // One JSON line when listening; bounded so a broken fleet fails the tests instead of hanging them.
        let line = TestFleet.readLine(from: stdoutPipe.fileHandleForReading, timeout: 60)
        guard let line, let data = line.data(using: .utf8),
              let description = try? JSONDecoder().decode(Description.self, from: data) else {
            try? stdinPipe.fileHandleForWriting.close()
            process.terminate()
            throw FleetError("the replay fleet did not start (see \(log.path)): \(tail())")
        }
        self.description = description
        self.process = process
        self.stdinPipe = stdinPipe
    }

    deinit {
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
    }

    /// The RTSP URL of the camera showing `scene` (a name from scripts/scenes.py).
    func url(_ scene: String) throws -> String {
        guard let url = description.cameras[scene] else { throw FleetError("the replay fleet has no scene named \(scene)") }
        return url
    }

    /// `scripts/scenes.py --list`: one scene a line, its name first.
    private static func sceneNames(script: String, stderr: FileHandle, log: URL) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, "--list"]
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output   // a Pipe: the parent's copy of the write end is closed at launch
        process.standardError = stderr
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do {
            try process.run()
        } catch {
            throw FleetError("cannot run the scene generator (/usr/bin/python3 \(script) --list): \(error)")
        }
        let text = readAll(from: output.fileHandleForReading, timeout: 60)
        guard done.wait(timeout: .now() + 10) == .success else {
            process.terminate()
            throw FleetError("scripts/scenes.py --list did not finish")
        }
        guard process.terminationStatus == 0, let text else {
            let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw FleetError("scripts/scenes.py --list failed (\(process.terminationStatus)): \(logText.suffix(800))")
        }
        let names = text.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        guard !names.isEmpty else { throw FleetError("scripts/scenes.py --list named no scene") }
        return names
    }

    /// Runs a command to its end or until `timeout` (then terminates it): its exit status
    /// and whether it finished. Waits on the termination handler, never on waitUntilExit.
    private static func run(_ command: [String], stdout: FileHandle, stderr: FileHandle, timeout: Double,
                            what: String) throws -> (status: Int32, finished: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do {
            try process.run()
        } catch {
            throw FleetError("cannot run \(what): \(error)")
        }
        guard done.wait(timeout: .now() + timeout) == .success else {
            process.terminate()
            _ = done.wait(timeout: .now() + 5)
            return (-1, false)
        }
        return (process.terminationStatus, true)
    }

    /// Everything a pipe's reader gets until end of file, or nil after `timeout`.
    private static func readAll(from handle: FileHandle, timeout: Double) -> String? {
        final class Box: @unchecked Sendable { var text: String? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            box.text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return box.text
    }
}

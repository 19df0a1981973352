import Foundation

/// A Python fixture server (`scripts/*.py`, run by the Debian `/usr/bin/python3`)
/// that prints `{"port": N}` once listening and exits when its stdin reaches end of
/// file, so it dies with the test process. When it cannot start, `init` throws and
/// the test fails; it never skips. Its stderr goes to a log file named in errors.
public final class FixtureProcess {
    public let port: Int
    private let process: Process
    private let stdinPipe: Pipe

    static let repositoryRoot: URL = {
        // Tests/WebhookTestSupport/FixtureProcess.swift → repository root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// Runs `scripts/<script>` with `arguments`; `name` names it in errors and its log.
    public init(script: String, arguments: [String], name: String) throws {
        let path = Self.repositoryRoot.appendingPathComponent("scripts/" + script).path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [path] + arguments
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-\(name)-\(getpid()).log")
        if !FileManager.default.fileExists(atPath: logPath.path) {
            _ = FileManager.default.createFile(atPath: logPath.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logPath)
        log.seekToEndOfFile()
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw ReceiverError("cannot start the \(name) (/usr/bin/python3 \(path)): \(error)")
        }
        struct Ready: Decodable { let port: Int }
        guard let line = Self.readLine(from: stdoutPipe.fileHandleForReading, timeout: 15),
              let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)) else {
            process.terminate()
            throw ReceiverError("the \(name) did not start (see \(logPath.path))")
        }
        self.port = ready.port
        self.process = process
        self.stdinPipe = stdinPipe
    }

    deinit {
        stop()
    }

    /// Stops the fixture and waits until it has exited, so its port is closed.
    ///
    /// Closing stdin is the polite way, but another child spawned meanwhile
    /// (a broker, the fleet) may have inherited the pipe's write end, so the
    /// fixture would never see end of file: after 2 s it gets SIGTERM, then
    /// SIGKILL. Polls rather than `waitUntilExit`, which can spin forever in
    /// Foundation's run loop on Linux.
    public func stop() {
        guard process.isRunning else { return }
        try? stdinPipe.fileHandleForWriting.close()
        let pid = process.processIdentifier
        for (signal, seconds) in [(Int32(0), 2.0), (SIGTERM, 2.0), (SIGKILL, 5.0)] {
            if signal != 0 { kill(pid, signal) }
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if !process.isRunning { return }
        }
    }

    /// `curl` with the fixture's usual options; throws unless it succeeds.
    public static func curl(_ arguments: [String], caFile: String? = nil) throws -> Data {
        var options = ["-sS", "--fail", "--max-time", "10", "--noproxy", "*"]
        if let caFile { options += ["--cacert", caFile] }
        let curl = try Command.run("/usr/bin/curl", options + arguments)
        guard curl.status == 0 else {
            throw ReceiverError("curl \(arguments.joined(separator: " ")) failed (\(curl.status)): \(curl.stderr)")
        }
        return curl.stdout
    }

    /// One line of `handle` (a fixture's stdout), waited for at most `timeout` seconds.
    public static func readLine(from handle: FileHandle, timeout: Double) -> String? {
        let line = Locked<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            var bytes: [UInt8] = []
            while let byte = handle.readData(ofLength: 1).first, byte != UInt8(ascii: "\n") {
                bytes.append(byte)
            }
            line.value = bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return line.value
    }
}

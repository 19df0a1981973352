import Foundation
import StatusAPI

/// Runs `body` against a fresh server and always stops it and removes its
/// directory, whether `body` passed or threw.
func withServer<T>(
    _ source: InMemoryStatusSource = InMemoryStatusSource(),
    _ body: (StatusServerHarness) async throws -> T
) async throws -> T {
    let harness = try await StatusServerHarness.start(source: source)
    let result: Result<T, any Error>
    do {
        result = .success(try await body(harness))
    } catch {
        result = .failure(error)
    }
    await harness.stop()
    try? FileManager.default.removeItem(atPath: harness.directory)
    return try result.get()
}

/// A process run to completion: its exit status and both outputs.
struct ProcessRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs on a thread of its own: waiting for a child blocks, and a blocked
    /// cooperative thread (two on a two-core machine) would starve the server
    /// the child is talking to.
    static func run(_ executable: String, _ arguments: [String]) async throws -> ProcessRun {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runBlocking(executable, arguments) }) }.start()
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String]) throws -> ProcessRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessRun(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// `curl` as an operator runs it against the socket: the body and the HTTP status.
struct Curl {
    let status: Int
    let body: String

    var json: [String: Any] {
        get throws {
            try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
        }
    }

    static func run(_ arguments: [String]) async throws -> Curl {
        let run = try await ProcessRun.run("/usr/bin/curl", ["--silent", "--show-error", "--max-time", "30", "--write-out", "\n%{http_code}"] + arguments)
        guard run.status == 0, let newline = run.stdout.lastIndex(of: "\n") else {
            throw CurlFailed(message: run.stderr)
        }
        return Curl(status: Int(run.stdout[run.stdout.index(after: newline)...]) ?? 0, body: String(run.stdout[..<newline]))
    }

    struct CurlFailed: Error { let message: String }
}

import Foundation
import Testing

/// Debian's headless Chromium as the reader of the report, and socat as the
/// TCP-to-Unix-socket bridge an operator's proxy would be. Both are real
/// programs (scripts/install-deps installs them); a test fails when either
/// cannot run.
enum ReportBrowser {
    /// Screenshots land here (CI keeps the folder as an artifact).
    static var artifacts: URL {
        let path = ProcessInfo.processInfo.environment["CAMPROBE_TEST_ARTIFACTS"]
            ?? TestFleet.repositoryRoot.appendingPathComponent(".build/test-artifacts").path
        let url = URL(fileURLWithPath: path).appendingPathComponent("report")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a program to its end (bounded by `timeout`), returning its standard output.
    static func run(_ tool: String, _ arguments: [String], timeout: Double = 90) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        // Standard error to a file (a pipe nobody reads while stdout is read could fill and block).
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-run-\(UUID().uuidString.prefix(8)).err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        guard process.terminationStatus == 0 else {
            let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw FleetError("\(tool) \(arguments.suffix(1)) exited \(process.terminationStatus): \(said.suffix(600))")
        }
        return data
    }

    static func chromiumArguments(_ profile: URL) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--user-data-dir=\(profile.path)", "--lang=ru"]
    }

    /// The DOM after Chromium loaded and laid out `url` (scripts would have run: there are none).
    static func dumpDOM(_ url: String) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-chromium-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: profile) }
        let dom = try run("/usr/bin/chromium", chromiumArguments(profile) + ["--dump-dom", url])
        return String(decoding: dom, as: UTF8.self)
    }

    /// A PNG of the page as rendered, kept as an artifact; returns its size in bytes.
    @discardableResult
    static func screenshot(_ url: String, name: String) throws -> Int {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-chromium-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: profile) }
        let file = artifacts.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: file)
        _ = try run("/usr/bin/chromium", chromiumArguments(profile) + ["--window-size=1280,2400", "--screenshot=\(file.path)", url])
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        return size
    }

    /// How many times `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// A loopback TCP port that forwards to a Unix socket, as long as the value lives.
    final class Bridge: @unchecked Sendable {
        let process: Process
        let port: Int

        init(socket: String) async throws {
            port = try Self.freePort()
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
            process.arguments = ["TCP-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork", "UNIX-CONNECT:\(socket)"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if (try? ReportBrowser.run("/usr/bin/curl", ["-sf", "-o", "/dev/null", "http://127.0.0.1:\(port)/v1/health"], timeout: 5)) != nil {
                    return
                }
                guard process.isRunning else { throw FleetError("socat exited (\(process.terminationStatus))") }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw FleetError("socat did not forward 127.0.0.1:\(port) to \(socket) in 20 s")
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        private static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw FleetError("socket() failed") }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { throw FleetError("bind() failed") }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }
}

import Foundation
import Testing

/// The hostile-camera fixture (`scripts/hostile-camera.py`), started once per
/// test process and shared. It dies with the test process (it exits when its
/// stdin, a pipe held here, reaches end of file). When it cannot start, the
/// tests that need it fail; they never skip.
final class HostileCamera: Sendable {
    struct Description: Decodable, Sendable {
        let port: Int
        let otherHost: String
        let otherPort: Int
        let otherPortSameHost: Int
        let controlPort: Int
        let user: String
        let password: String
        let cases: [String: String]
    }

    let description: Description
    private let process: Process
    private let stdinPipe: Pipe

    static func shared() async throws -> HostileCamera {
        try await Starter.shared.camera()
    }

    private actor Starter {
        static let shared = Starter()
        private var started: Result<HostileCamera, any Error>?

        func camera() throws -> HostileCamera {
            if let started { return try started.get() }
            let result = Result { try HostileCamera() }
            started = result
            return try result.get()
        }
    }

    private init() throws {
        let script = TestFleet.repositoryRoot.appendingPathComponent("scripts/hostile-camera.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script]
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        let stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-hostile-\(getpid()).log")
        _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderrPath)
        do {
            try process.run()
        } catch {
            throw FleetError("cannot start the hostile camera fixture (/usr/bin/python3 \(script)): \(error)")
        }
        // It encodes its H.264 clips with ffmpeg first: bounded, so a missing
        // ffmpeg fails the tests instead of hanging them.
        let line = TestFleet.readLine(from: stdoutPipe.fileHandleForReading, timeout: 90)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let line, let description = try? decoder.decode(Description.self, from: Data(line.utf8)) else {
            process.terminate()
            let log = (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? ""
            throw FleetError("the hostile camera fixture did not start (see \(stderrPath.path)): \(log.suffix(600))")
        }
        self.description = description
        self.process = process
        self.stdinPipe = stdinPipe
    }

    deinit {
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
    }

    func url(_ name: String) throws -> String {
        guard let url = description.cases[name] else { throw FleetError("the hostile camera has no case named \(name)") }
        return url
    }

    /// What the host the credentials do not belong to received for a case:
    /// every chunk of bytes, as text.
    func receivedElsewhere(_ name: String) throws -> [String] {
        let url = URL(string: "http://127.0.0.1:\(description.controlPort)/received?case=\(name)")!
        let data = try Data(contentsOf: url)
        let table = try JSONDecoder().decode([String: [String]].self, from: data)
        return table[name] ?? []
    }

    /// Every form in which the password could leak: as is, percent-encoded, and
    /// inside the Basic credentials.
    var secretForms: [String] {
        let pair = "\(description.user):\(description.password)"
        return [
            description.password,
            description.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? description.password,
            Data(pair.utf8).base64EncodedString(),
        ]
    }
}

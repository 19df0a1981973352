import Foundation

/// `scripts/webhook-receiver.py` as a test fixture: a real HTTP(S) server on
/// 127.0.0.1 that records every request and answers as scripted.
///
/// It dies with the test process: it exits when its stdin (a pipe held here)
/// reaches end of file. When it cannot start, `init` throws and the test fails;
/// it never skips. Control calls go through the `curl` command line.
public final class WebhookReceiver {
    /// One scripted answer; nil fields take the receiver's defaults (200, no delay).
    public struct Response: Encodable, Sendable {
        public var status: Int?
        public var retryAfter: String?
        public var delay: Double?
        public var location: String?
        public var body: String?

        public init(status: Int? = nil, retryAfter: String? = nil, delay: Double? = nil, location: String? = nil, body: String? = nil) {
            self.status = status
            self.retryAfter = retryAfter
            self.delay = delay
            self.location = location
            self.body = body
        }

        enum CodingKeys: String, CodingKey {
            case status, delay, location, body
            case retryAfter = "retry_after"
        }

        public static func status(_ status: Int, retryAfter: String? = nil, location: String? = nil) -> Response {
            Response(status: status, retryAfter: retryAfter, location: location)
        }

        public static func delay(_ seconds: Double, status: Int = 200) -> Response {
            Response(status: status, delay: seconds)
        }
    }

    public struct Request: Decodable, Sendable {
        public let method: String
        public let path: String
        /// In the order received.
        public let headers: [[String]]
        public let bodyB64: String
        /// Unix seconds when the request arrived (before any scripted delay).
        public let time: Double
        /// Present when the receiver runs with a secret.
        public let signatureOk: Bool?

        public var body: [UInt8] { Array(Data(base64Encoded: bodyB64) ?? Data()) }

        /// The first value of the header `name`, case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.first?.lowercased() == name.lowercased() }?.last
        }
    }

    public struct Received: Decodable, Sendable {
        public let requests: [Request]
        /// The most requests the receiver was handling at once.
        public let maxConcurrent: Int
    }

    public let port: Int
    private let scheme: String
    private let caFile: String?
    private let process: Process
    private let stdinPipe: Pipe

    static let repositoryRoot: URL = {
        // Tests/WebhookTestSupport/WebhookReceiver.swift → repository root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// - Parameters:
    ///   - secret: verify `X-CamProbe-Signature` with it and record `signatureOk`.
    ///   - tls: serve HTTPS with this certificate and key (PEM files).
    /// - Parameter port: listen there (a test that needs the port closed first); default any free one.
    public init(secret: String? = nil, tls: SelfSignedCertificate? = nil, port: Int = 0) throws {
        let script = Self.repositoryRoot.appendingPathComponent("scripts/webhook-receiver.py").path
        var arguments = [script]
        if port != 0 { arguments += ["--port", String(port)] }
        if let secret { arguments += ["--secret", secret] }
        if let tls { arguments += ["--tls-cert", tls.certificatePath, "--tls-key", tls.keyPath] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-webhook-receiver-\(getpid()).log")
        if !FileManager.default.fileExists(atPath: logPath.path) {
            _ = FileManager.default.createFile(atPath: logPath.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logPath)
        log.seekToEndOfFile()
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw ReceiverError("cannot start the webhook receiver (/usr/bin/python3 \(script)): \(error)")
        }
        struct Ready: Decodable { let port: Int }
        guard let line = Self.readLine(from: stdoutPipe.fileHandleForReading, timeout: 15),
              let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)) else {
            process.terminate()
            throw ReceiverError("the webhook receiver did not start (see \(logPath.path))")
        }
        self.port = ready.port
        self.scheme = tls == nil ? "http" : "https"
        self.caFile = tls?.certificatePath
        self.process = process
        self.stdinPipe = stdinPipe
    }

    deinit {
        stop()
    }

    /// `http(s)://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String {
        "\(scheme)://127.0.0.1:\(port)\(path)"
    }

    /// Answers for `path`, consumed in order; then 200.
    public func script(path: String, responses: [Response]) throws {
        struct Script: Encodable { let path: String; let responses: [Response] }
        let json = try JSONEncoder().encode(Script(path: path, responses: responses))
        _ = try control(["-X", "POST", "--data-binary", String(decoding: json, as: UTF8.self), url("/_script")])
    }

    public func received() throws -> Received {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Received.self, from: control([url("/_received")]))
    }

    public func reset() throws {
        _ = try control(["-X", "POST", url("/_reset")])
    }

    /// Stops the receiver and waits until it has exited, so its port is closed.
    ///
    /// Closing stdin is the polite way, but another child spawned meanwhile
    /// (a broker, the fleet) may have inherited the pipe's write end, so the
    /// receiver would never see end of file: after 2 s it gets SIGTERM, then
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

    private func control(_ arguments: [String]) throws -> Data {
        var options = ["-sS", "--fail", "--max-time", "10", "--noproxy", "*"]
        if let caFile { options += ["--cacert", caFile] }
        let curl = try Command.run("/usr/bin/curl", options + arguments)
        guard curl.status == 0 else {
            throw ReceiverError("curl \(arguments.joined(separator: " ")) failed (\(curl.status)): \(curl.stderr)")
        }
        return curl.stdout
    }

    private static func readLine(from handle: FileHandle, timeout: Double) -> String? {
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

public struct ReceiverError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

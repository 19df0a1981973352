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

    public var port: Int { fixture.port }
    private let scheme: String
    private let caFile: String?
    private let fixture: FixtureProcess

    /// - Parameters:
    ///   - secret: verify `X-CamProbe-Signature` with it and record `signatureOk`.
    ///   - tls: serve HTTPS with this certificate and key (PEM files).
    /// - Parameter port: listen there (a test that needs the port closed first); default any free one.
    public init(secret: String? = nil, tls: SelfSignedCertificate? = nil, port: Int = 0) throws {
        var arguments: [String] = []
        if port != 0 { arguments += ["--port", String(port)] }
        if let secret { arguments += ["--secret", secret] }
        if let tls { arguments += ["--tls-cert", tls.certificatePath, "--tls-key", tls.keyPath] }
        fixture = try FixtureProcess(script: "webhook-receiver.py", arguments: arguments, name: "webhook receiver")
        self.scheme = tls == nil ? "http" : "https"
        self.caFile = tls?.certificatePath
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
    public func stop() {
        fixture.stop()
    }

    private func control(_ arguments: [String]) throws -> Data {
        try FixtureProcess.curl(arguments, caFile: caFile)
    }
}

public struct ReceiverError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

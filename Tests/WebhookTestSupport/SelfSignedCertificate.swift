import Foundation

/// A throwaway certificate for 127.0.0.1, made by `openssl` in a temp directory.
public struct SelfSignedCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String

    public init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-webhook-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificatePath = directory.appendingPathComponent("cert.pem").path
        keyPath = directory.appendingPathComponent("key.pem").path
        // EC keys: generated in milliseconds, unlike RSA. The IP subjectAltName is
        // what curl checks against 127.0.0.1 (the CN is ignored).
        let openssl = try Command.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", "1",
            "-subj", "/CN=CamProbe test receiver", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        guard openssl.status == 0 else { throw ReceiverError("openssl req failed: \(openssl.stderr)") }
    }
}

import Foundation

/// A throwaway CA, a server certificate it signs (CN localhost, SAN DNS:localhost and
/// IP:127.0.0.1), and an unrelated second CA, made with the `openssl` command.
public struct TestCertificates: Sendable {
    public let caCertificate: String
    public let serverCertificate: String
    public let serverKey: String
    /// A CA that did not sign the server certificate: verification against it must fail.
    public let otherCACertificate: String

    public static func generate(in directory: String) throws -> TestCertificates {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = { (name: String) in directory + "/" + name }
        let extensions = path("server.ext")
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=CamProbe Test CA",
             "-keyout", path("ca.key"), "-out", path("ca.pem")],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=CamProbe Other CA",
             "-keyout", path("other-ca.key"), "-out", path("other-ca.pem")],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
             "-keyout", path("server.key"), "-out", path("server.csr")],
            ["x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
             "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", path("server.pem")],
        ]
        for arguments in steps {
            let result = try RabbitMQServer.run("/usr/bin/openssl", arguments)
            guard result.status == 0 else {
                throw RabbitMQServer.Failure(description: "openssl \(arguments[0]) failed: \(result.output)")
            }
        }
        return TestCertificates(caCertificate: path("ca.pem"), serverCertificate: path("server.pem"),
                                serverKey: path("server.key"), otherCACertificate: path("other-ca.pem"))
    }
}

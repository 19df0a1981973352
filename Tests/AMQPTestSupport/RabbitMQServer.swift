import AMQP
import Foundation

/// A private RabbitMQ node (`scripts/rabbitmq-sandbox`) in a temporary directory, on free
/// loopback ports, with its own user and password, and optionally a TLS listener with a
/// freshly generated CA. Its data survives `kill()` and `restart()`. The node is stopped
/// and its directory removed when the test process exits, even if it crashes (the sandbox
/// watches this process). Methods block: call them from tests, not from an event loop.
///
///     let broker = try RabbitMQServer.shared()          // one node per test process
///     let publisher = try AMQPPublisher(settings: broker.settings(exchange: "x", queue: "q"))
public final class RabbitMQServer: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let directory: String
    public let port: Int
    /// The amqps listener; its certificate names "localhost" and 127.0.0.1.
    public let tlsPort: Int?
    public let certificates: TestCertificates?
    public let user = "camprobe"
    public let password: String

    private let lock = NSLock()

    /// One TLS-enabled node shared by every test in the process, started on first use.
    /// Throws (so the test fails, not skips) if the node cannot start.
    public static func shared() throws -> RabbitMQServer {
        try sharedNode.get()
    }

    private static let sharedNode = Result { () throws -> RabbitMQServer in
        let server = try RabbitMQServer(tls: true)
        try server.start()
        return server
    }

    /// Prepares (does not start) a node: a temporary directory, free ports, and with `tls`
    /// a CA, a server certificate and a second, unrelated CA.
    public init(tls: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("camprobe-rabbitmq-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        tlsPort = tls ? try Self.freePort() : nil
        certificates = tls ? try TestCertificates.generate(in: directory + "/tls") : nil
        password = "pw-" + UUID().uuidString.prefix(12)
    }

    /// Starts the node and waits until it accepts AMQP connections (at most 60 s).
    public func start() throws {
        var arguments = ["start", directory, "--port", "\(port)", "--user", user, "--password", password,
                         "--owner-pid", "\(ProcessInfo.processInfo.processIdentifier)", "--timeout", "60"]
        if let tlsPort, let certificates {
            arguments += ["--tls-port", "\(tlsPort)", "--cert", certificates.serverCertificate,
                          "--key", certificates.serverKey, "--cacert", certificates.caCertificate]
        }
        try sandbox(arguments)
    }

    /// SIGKILLs the node's Erlang VM: a broker crash. The data directory stays.
    public func kill() throws { try sandbox(["kill", directory]) }

    /// SIGSTOPs the node: a hung broker whose sockets stay open but never answer.
    public func pause() throws { try sandbox(["pause", directory]) }

    /// SIGCONTs a paused node.
    public func resume() throws { try sandbox(["resume", directory]) }

    /// Starts the node again on the same directory and ports, after `kill()` or `stop()`.
    public func restart() throws { try start() }

    /// Graceful shutdown; the data directory stays until the test process exits.
    public func stop() throws { try sandbox(["stop", directory]) }

    public var endpoint: String { "amqp://127.0.0.1:\(port)/" }

    /// Plain AMQP settings for this node with its user; short timeouts for tests.
    public func settings(exchange: String, queue: String? = nil, password: String? = nil) -> AMQPSettings {
        AMQPSettings(host: "127.0.0.1", port: port, user: user, password: password ?? self.password,
                     exchange: exchange, queue: queue, heartbeat: 10, connectTimeout: 5, confirmTimeout: 10)
    }

    /// amqps settings trusting `caFile` (the node's own CA unless given), host "localhost".
    public func tlsSettings(exchange: String, queue: String? = nil, caFile: String? = nil) throws -> AMQPSettings {
        guard let tlsPort, let certificates else { throw Failure(description: "this RabbitMQServer has no TLS listener") }
        return AMQPSettings(host: "localhost", port: tlsPort, user: user, password: password, useTLS: true,
                            caFile: caFile ?? certificates.caCertificate, exchange: exchange, queue: queue,
                            heartbeat: 10, connectTimeout: 5, confirmTimeout: 10)
    }

    /// Removes and returns every message in `queue` (declaring it, bound with "#" to
    /// `exchange`, if needed), through an independent connection.
    public func drain(queue: String, exchange: String) throws -> [AMQPMessage] {
        let consumer = try AMQPConsumer(settings: settings(exchange: exchange, queue: queue))
        defer { consumer.close() }
        return try consumer.drain()
    }

    // MARK: processes

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private func sandbox(_ arguments: [String]) throws {
        lock.lock()
        defer { lock.unlock() }
        let script = Self.repositoryRoot.appendingPathComponent("scripts/rabbitmq-sandbox").path
        let result = try Self.run(script, arguments)
        guard result.status == 0 else {
            throw Failure(description: "rabbitmq-sandbox \(arguments[0]) failed (\(result.status)): \(result.output)")
        }
    }

    /// Runs a command to completion with posix_spawn and waitpid, output to a file.
    /// Not Foundation's `Process`: the sandbox leaves the broker running in the background,
    /// and `Process.waitUntilExit` never returned then (the child stayed a zombie). The child
    /// gets /dev/null as stdin and the output file as stdout and stderr.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-run-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The child must not inherit this thread's signal mask: libdispatch's worker threads
        // block SIGTERM and friends, and a broker started with SIGTERM blocked ignores `stop`.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "waitpid: \(String(cString: strerror(errno)))") }
        }
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (exitStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A port the kernel just handed out for 127.0.0.1 (bound to port 0, then released).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                bind(fd, sockaddr, length) == 0 && getsockname(fd, sockaddr, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind to 127.0.0.1:0: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

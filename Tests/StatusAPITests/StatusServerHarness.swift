import CamProbeCore
import Foundation
import Logging
import ServiceLifecycle
import StatusAPI

/// A real ``StatusServer`` on a socket in a fresh temporary directory, run in
/// a `ServiceGroup` as the daemon runs it. `start` returns once the socket
/// listens (observed through `onListening`, not a sleep); `stop` shuts the
/// group down gracefully and waits for it.
final class StatusServerHarness: Sendable {
    let source: InMemoryStatusSource
    let directory: String
    let socketPath: String
    private let group: ServiceGroup
    private let task: Task<Error?, Never>

    static func start(
        source: InMemoryStatusSource = InMemoryStatusSource(), group socketGroup: String? = nil
    ) async throws -> StatusServerHarness {
        let directory = try TemporaryDirectory.make()
        return try await start(source: source, directory: directory, group: socketGroup)
    }

    static func start(
        source: InMemoryStatusSource, directory: String, group socketGroup: String? = nil
    ) async throws -> StatusServerHarness {
        let socketPath = directory + "/status.sock"
        let (listening, continuation) = AsyncStream.makeStream(of: String.self)
        let server = StatusServer(
            source: source, configuration: StatusServerConfiguration(socketPath: socketPath, group: socketGroup),
            logger: Logger(label: "test.status"),
            onListening: { path in continuation.yield(path) })
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [server], logger: Logger(label: "test.group")))
        let task = Task<Error?, Never> {
            defer { continuation.finish() }
            do {
                try await group.run()
                return nil
            } catch {
                return error
            }
        }
        // The stream ends without a path when the server failed to start.
        for await _ in listening {
            return StatusServerHarness(source: source, directory: directory, socketPath: socketPath, group: group, task: task)
        }
        throw await task.value ?? HarnessError.stoppedBeforeListening
    }

    enum HarnessError: Error { case stoppedBeforeListening }

    private init(source: InMemoryStatusSource, directory: String, socketPath: String, group: ServiceGroup, task: Task<Error?, Never>) {
        self.source = source
        self.directory = directory
        self.socketPath = socketPath
        self.group = group
        self.task = task
    }

    var client: StatusClient { StatusClient(socketPath: socketPath, requestTimeout: .seconds(10)) }

    /// Graceful shutdown; the error the server stopped with, if any.
    @discardableResult
    func stop() async -> Error? {
        await group.triggerGracefulShutdown()
        return await task.value
    }
}

enum TemporaryDirectory {
    /// Short enough for a Unix socket path (`sun_path` is 108 bytes).
    static func make() throws -> String {
        let path = "/tmp/camprobe-test-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }
}

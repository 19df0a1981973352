import CamProbeCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The status socket: HTTP/JSON over a Unix socket, answering from any
/// ``StatusSource``. A `Service`: `run()` prepares the socket file, serves until
/// graceful shutdown, and removes the socket file it created.
///
/// Preparing the socket file:
/// - nothing at the path: bind;
/// - a socket nobody answers on (a daemon that died): remove it, bind;
/// - a socket someone answers on: refuse (``StatusServerError/socketInUse(path:)``);
/// - anything else: refuse, and leave it alone.
///
/// After binding, the socket gets ``StatusServerConfiguration/mode`` and
/// ``StatusServerConfiguration/group`` before the first request is read (the
/// accept loop starts after `onServerRunning` returns). Between `bind` and
/// `chmod` the socket has the mode the umask gives (0755 under systemd's
/// default umask 0022), which lets no one but the owner connect.
public struct StatusServer: Service {
    public let configuration: StatusServerConfiguration
    private let source: any StatusSource
    private let reports: (any ReportSource)?
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (String) async -> Void

    /// - Parameter onListening: called with the socket path once the socket is
    ///   bound and has its mode and group, before the first request is served.
    public init(
        source: any StatusSource,
        reports: (any ReportSource)? = nil,
        configuration: StatusServerConfiguration = StatusServerConfiguration(),
        logger: Logger = Logger(label: "camprobe.status"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.source = source
        self.reports = reports
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
    }

    public func run() async throws {
        let path = configuration.socketPath
        let groupID = try validate()
        try await removeStaleSocket()

        let bound = Mutex(Bound())
        let app = Application(
            router: StatusRoutes.router(source: source, reports: reports, startedAt: Date(), logger: logger),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: path), serverName: "camprobe"),
            onServerRunning: { [configuration, logger, onListening] channel in
                bound.withLock { $0.entry = try? SocketFile.entry(path) }
                do throws(StatusServerError) {
                    try Self.secure(path: path, configuration: configuration, groupID: groupID)
                } catch {
                    // Serve nothing on a socket with the wrong mode or group: stop the
                    // server; run() throws the error once it has wound down.
                    bound.withLock { $0.failure = error }
                    try? await channel.close()
                    return
                }
                logger.debug("status socket listening", metadata: ["socket": "\(path)"])
                await onListening(path)
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        defer { removeOwnSocket(bound.withLock { $0.entry }) }
        try await app.run()
        if let failure = bound.withLock({ $0.failure }) { throw failure }
    }

    /// What `onServerRunning` found: the socket it bound, and why it refused to
    /// serve on it.
    private struct Bound {
        var entry: SocketFile.Entry?
        var failure: StatusServerError?
    }

    /// Everything that can be checked before binding; the group's id.
    private func validate() throws(StatusServerError) -> UInt32? {
        let path = configuration.socketPath
        let bytes = path.utf8.count
        guard bytes <= SocketFile.maxPathBytes else { throw .pathTooLong(path: path, bytes: bytes) }
        let directory = (path as NSString).deletingLastPathComponent
        guard SocketFile.isDirectory(directory.isEmpty ? "." : directory) else {
            throw .directoryMissing(directory: directory)
        }
        guard let group = configuration.group else { return nil }
        let id: UInt32?
        do throws(SystemCallError) {
            id = try SocketFile.groupID(named: group)
        } catch {
            throw .socketFile(path: path, action: .setGroup(group), error: error)
        }
        guard let id else { throw .unknownGroup(name: group) }
        return id
    }

    /// A socket file outlives a daemon that was killed; binding over it is fine
    /// unless another daemon still answers on it.
    private func removeStaleSocket() async throws(StatusServerError) {
        let path = configuration.socketPath
        let entry: SocketFile.Entry?
        do throws(SystemCallError) {
            entry = try SocketFile.entry(path)
        } catch {
            throw .socketFile(path: path, action: .check, error: error)
        }
        guard let entry else { return }
        guard entry.isSocket else { throw .notASocket(path: path) }
        switch await SocketProbe.check(path: path, eventLoopGroup: eventLoopGroup) {
        case .answers:
            throw .socketInUse(path: path)
        case .stale:
            do throws(SystemCallError) {
                try SocketFile.remove(path)
            } catch where error.errno != ENOENT {
                throw .socketFile(path: path, action: .removeStale, error: error)
            } catch {}
            logger.notice("removed stale status socket", metadata: ["socket": "\(path)"])
        case .failed(let error):
            throw .socketFile(path: path, action: .check, error: error)
        }
    }

    private static func secure(
        path: String, configuration: StatusServerConfiguration, groupID: UInt32?
    ) throws(StatusServerError) {
        do throws(SystemCallError) {
            try SocketFile.setMode(path, configuration.mode)
        } catch {
            throw .socketFile(path: path, action: .setMode(configuration.mode), error: error)
        }
        if let groupID, let group = configuration.group {
            do throws(SystemCallError) {
                try SocketFile.setGroup(path, groupID)
            } catch {
                throw .socketFile(path: path, action: .setGroup(group), error: error)
            }
        }
    }

    /// Removes the socket file only if it is still the one this server bound:
    /// a successor may already have replaced it.
    private func removeOwnSocket(_ ours: SocketFile.Entry?) {
        guard let ours else { return }
        let path = configuration.socketPath
        guard let current = try? SocketFile.entry(path), current.device == ours.device, current.inode == ours.inode
        else { return }
        try? SocketFile.remove(path)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CamProbeCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The status socket's client: one HTTP/1.1 request per connection over the
/// Unix socket. SwiftNIO's `HTTPClientCodec` speaks the protocol; this type
/// wires one request to one response and bounds both.
///
/// Two deadlines: connecting must finish within `connectTimeout`, and the
/// whole exchange (connect included) within `requestTimeout`, computed once
/// when the request starts.
public struct StatusClient: Sendable {
    public var socketPath: String
    public var connectTimeout: Duration
    public var requestTimeout: Duration
    private let eventLoopGroup: any EventLoopGroup

    /// A body larger than this is refused rather than buffered (20,000 cameras
    /// list in about 15 MB).
    public static let maxBodyBytes = 256 << 20

    public init(
        socketPath: String = StatusServerConfiguration.defaultSocketPath,
        connectTimeout: Duration = .seconds(2),
        requestTimeout: Duration = .seconds(30),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.socketPath = socketPath
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.eventLoopGroup = eventLoopGroup
    }

    // MARK: Typed requests

    public func cameras(_ filter: CameraFilter = CameraFilter()) async throws(StatusClientError) -> CameraList {
        try await send(.cameras(filter)).decode(CameraList.self, socketPath: socketPath)
    }

    public func camera(_ id: String) async throws(StatusClientError) -> CameraDetail {
        try await send(.camera(id)).decode(CameraDetail.self, socketPath: socketPath)
    }

    public func summary(
        by level: SummaryRow.Level, _ filter: CameraFilter = CameraFilter()
    ) async throws(StatusClientError) -> SummaryDocument {
        try await send(.summary(by: level, filter)).decode(SummaryDocument.self, socketPath: socketPath)
    }

    public func probe(_ id: String) async throws(StatusClientError) -> ProbeRequested {
        try await send(.probe(id)).decode(ProbeRequested.self, socketPath: socketPath)
    }

    /// A refused reload throws ``StatusClientError/server(status:code:message:problems:)``
    /// with the problems, one line each.
    public func reload() async throws(StatusClientError) -> ReloadResult {
        try await send(.reload).decode(ReloadResult.self, socketPath: socketPath)
    }

    /// A page of events (CloudEvents JSON, not the status documents' conventions).
    public func events(_ query: EventQuery) async throws(StatusClientError) -> OutboxPage {
        try await send(.events(query)).decode(OutboxPage.self, socketPath: socketPath, decoder: CloudEvent.decoder())
    }

    public func health() async throws(StatusClientError) -> HealthDocument {
        try await send(.health).decode(HealthDocument.self, socketPath: socketPath)
    }

    // MARK: One exchange

    /// Sends one request and returns the answer whatever its HTTP status;
    /// throws only when no complete answer came.
    public func send(_ request: StatusRequest) async throws(StatusClientError) -> StatusResponse {
        let deadline = ContinuousClock.now.advanced(by: requestTimeout)
        let channel = try await connect(deadline: deadline)
        do {
            return try await withThrowingTaskGroup(of: StatusResponse?.self) { group in
                group.addTask { try await Self.exchange(request, on: channel, path: socketPath) }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let response = first else {
                    // Closing ends the exchange's read, so the group can finish.
                    channel.channel.close(promise: nil)
                    throw StatusClientError.timeout(path: socketPath, phase: "answer", seconds: requestTimeout.seconds)
                }
                return response
            }
        } catch let error as StatusClientError {
            throw error
        } catch {
            throw .invalidResponse(path: socketPath, detail: "the connection failed mid-answer: \(error)")
        }
    }

    private typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    private func connect(deadline: ContinuousClock.Instant) async throws(StatusClientError) -> Connection {
        let path = socketPath
        guard path.utf8.count <= SocketFile.maxPathBytes else {
            throw .cannotConnect(path: path, reason: "the path is longer than a Unix socket path may be")
        }
        let remaining = ContinuousClock.now.duration(to: deadline)
        let timeout = min(connectTimeout, max(remaining, .milliseconds(1)))
        do {
            return try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(timeout))
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IOError {
            throw Self.explain(error.errnoCode, path: path)
        } catch ChannelError.connectTimeout {
            throw .timeout(path: path, phase: "connect", seconds: timeout.seconds)
        } catch {
            throw .cannotConnect(path: path, reason: "\(error)")
        }
    }

    private static func explain(_ code: Int32, path: String) -> StatusClientError {
        switch code {
        case ENOENT:
            return .socketMissing(path: path)
        case EACCES, EPERM:
            // The socket's group, or its directory's when that is what keeps us out.
            let directory = (path as NSString).deletingLastPathComponent
            let entry = ((try? SocketFile.entry(path)) ?? nil) ?? ((try? SocketFile.entry(directory)) ?? nil)
            return .permissionDenied(path: path, group: entry.flatMap { SocketFile.groupName(id: $0.groupID) })
        case ECONNREFUSED:
            // Linux also refuses a connect to a file that is not a socket.
            if let entry = try? SocketFile.entry(path), !entry.isSocket { return .notASocket(path: path) }
            return .refused(path: path)
        case ENOTSOCK:
            return .notASocket(path: path)
        default:
            return .cannotConnect(path: path, reason: SystemCallError("connect", errno: code).reason)
        }
    }

    private static func exchange(
        _ request: StatusRequest, on channel: Connection, path: String
    ) async throws -> StatusResponse {
        try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(
                version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue), uri: request.target)
            // A Unix socket has no host name; HTTP/1.1 still wants the header.
            head.headers.add(name: "Host", value: "localhost")
            head.headers.add(name: "Accept", value: "application/json")
            head.headers.add(name: "Connection", value: "close")
            if request.method == .post { head.headers.add(name: "Content-Length", value: "0") }
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))

            var status: Int?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let response):
                    status = Int(response.status.code)
                case .body(var chunk):
                    guard body.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                        throw StatusClientError.invalidResponse(
                            path: path, detail: "the answer is larger than \(maxBodyBytes >> 20) MiB")
                    }
                    body.writeBuffer(&chunk)
                case .end:
                    guard let status else { break }
                    return StatusResponse(status: status, body: Data(body.readableBytesView))
                }
            }
            throw StatusClientError.invalidResponse(path: path, detail: "the connection closed before a complete answer")
        }
    }
}

extension Duration {
    /// Whole and fractional seconds, for messages.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Synchronization

/// Serves `GET /metrics` on a TCP address in Prometheus' text format: the
/// registry (``ProbeMetrics``' aggregates and whatever swift-metrics records
/// after ``MetricsBootstrap/bootstrap(_:)``), the collectors (``ProbeMetrics``'
/// per-camera series), and the process's own figures (``ProcessMetrics``), all
/// read at scrape time. A `Service`: it serves until graceful shutdown.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// MetricsBootstrap.bootstrap(registry)          // once, at startup
/// let metrics = ProbeMetrics(registry: registry)
/// let server = MetricsServer(address: .default, registry: registry, collectors: [metrics])
/// ```
public struct MetricsServer: Service {
    public let address: MetricsAddress
    private let registry: PrometheusCollectorRegistry
    private let collectors: [any MetricsCollector]
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (Int) async -> Void
    /// The last scrape's size, reserved for the next.
    private let lastScrape = ScrapeSize()

    /// A region's exposition is ~10 MB (17,432 cameras, up to eight series
    /// each). It is built at the size of the last one, not grown by doubling
    /// (which held one and a half times it), and handed to the connection in
    /// pieces of this size rather than copied whole into one more buffer.
    static let pieceBytes = 64 * 1024

    /// - Parameter onListening: called with the bound port (the kernel's
    ///   choice when the address asked for port 0).
    public init(
        address: MetricsAddress = .default,
        registry: PrometheusCollectorRegistry,
        collectors: [any MetricsCollector] = [],
        logger: Logger = Logger(label: "camprobe.metrics"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.address = address
        self.registry = registry
        self.collectors = collectors
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
    }

    public func run() async throws {
        let router = Router()
        router.get("/metrics") { [registry, collectors, lastScrape] _, _ in
            let text = Self.scrape(registry, collectors, reserving: lastScrape.bytes)
            lastScrape.bytes = text.count
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: Self.pieces(of: text))
        }
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port), serverName: "camprobe"),
            onServerRunning: { [address, logger, onListening] channel in
                let port = channel.localAddress?.port ?? address.port
                logger.debug("metrics listening", metadata: ["address": "\(address.host):\(port)"])
                await onListening(port)
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        try await app.run()
    }

    /// `text` as a body of `pieceBytes` pieces, with its length.
    static func pieces(of text: [UInt8]) -> ResponseBody {
        ResponseBody(contentLength: text.count) { writer in
            var start = 0
            while start < text.count {
                let end = min(start + pieceBytes, text.count)
                try await writer.write(ByteBuffer(bytes: text[start..<end]))
                start = end
            }
            try await writer.finish(nil)
        }
    }

    /// The whole exposition: the registry, the collectors, the process figures,
    /// in a buffer of `reserving` bytes (plus an eighth) to begin with.
    public static func scrape(
        _ registry: PrometheusCollectorRegistry, _ collectors: [any MetricsCollector], reserving: Int = 0
    ) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(reserving + reserving / 8)
        registry.emit(into: &buffer)
        for collector in collectors { collector.emit(into: &buffer) }
        ProcessMetrics.read()?.emit(into: &buffer)
        return buffer
    }
}

/// The size of the last scrape, shared by the route's invocations.
private final class ScrapeSize: Sendable {
    private let value = Mutex(0)

    var bytes: Int {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle

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
        router.get("/metrics") { [registry, collectors] _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: Self.scrape(registry, collectors))))
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

    /// The whole exposition: the registry, the collectors, the process figures.
    public static func scrape(_ registry: PrometheusCollectorRegistry, _ collectors: [any MetricsCollector]) -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        for collector in collectors { collector.emit(into: &buffer) }
        ProcessMetrics.read()?.emit(into: &buffer)
        return buffer
    }
}

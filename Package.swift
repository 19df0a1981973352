// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "camprobe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "camprobe", targets: ["camprobe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // HMAC for webhook signatures; 3.x and 4.x both build, so the graph may keep either.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // FFmpeg's C libraries (Debian: libavformat-dev, libavcodec-dev, libavutil-dev).
        // Only the Probe target imports it.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev"])]
        ),
        // glibc pieces Swift's Glibc module leaves out (mallopt).
        .systemLibrary(name: "CMalloc"),
        // Pure values and logic: no I/O, no C.
        .target(name: "CamProbeCore"),
        // The FFmpeg prober: the only target with unsafe code.
        .target(name: "Probe", dependencies: ["CamProbeCore", "CFFmpeg", "CMalloc"]),
        // Configuration files: reads and strictly decodes the config, inventories (YAML, CSV),
        // profiles and secrets into CamProbeCore values. The file I/O lives here, not in the core.
        .target(name: "CamProbeConfig", dependencies: ["CamProbeCore", .product(name: "Yams", package: "Yams")]),
        // The daemon's state: SQLite (GRDB, WAL) store of current state, history, outbox and
        // availability. No prober, no FFmpeg: Delivery and `camprobe events` need only this.
        .target(name: "Store", dependencies: ["CamProbeCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // The inspection report: its model computed from the store, and its renderings
        // (HTML with inline SVG, CSV, JSON). No prober, no network.
        .target(name: "Report", dependencies: ["CamProbeCore", "Store"]),
        // The daemon loop: schedule, probe, decide, write to the store.
        .target(
            name: "Monitor",
            dependencies: [
                "CamProbeCore",
                "CamProbeConfig",
                "Probe",
                "Store",
                "Archive",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // HTTP/JSON status API on a Unix socket, its client, and Prometheus metrics.
        .target(
            name: "StatusAPI",
            dependencies: [
                "CamProbeCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // libcurl (Debian: libcurl4-openssl-dev). Only the Webhook target imports it.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Alert webhooks: HTTP(S) POST through libcurl's multi interface, HMAC signing.
        .target(name: "Webhook", dependencies: ["CCurl", .product(name: "Crypto", package: "swift-crypto")]),
        // Recorders' archives: ONVIF Profile G over the webhooks' libcurl transport
        // (SOAP, WS-UsernameToken digest, FoundationXML) and RTSP playback through the
        // prober's native RTSP client; see docs/archive.md.
        .target(
            name: "Archive",
            dependencies: ["CamProbeCore", "Webhook", "Probe", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // AMQP 0-9-1 publishing (RabbitMQ): librabbitmq (Debian: librabbitmq-dev); only AMQP imports it.
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        .target(name: "AMQP", dependencies: ["CRabbitMQ"]),
        // Delivery of the outbox's events: the queue relay and the webhook dispatcher.
        .target(
            name: "Delivery",
            dependencies: [
                "AMQP",
                "Webhook",
                "Store",
                "CamProbeCore",
                "CamProbeConfig",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "camprobe",
            dependencies: [
                "CamProbeCore",
                "CamProbeConfig",
                "Probe",
                "Monitor",
                "Store",
                "Delivery",
                "StatusAPI",
                "Report",
                "Archive",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "CamProbeCoreTests", dependencies: ["CamProbeCore"]),
        .testTarget(name: "ProbeTests", dependencies: ["CamProbeCore", "CamProbeConfig", "Probe", "WebhookTestSupport"]),
        .testTarget(
            name: "CamProbeConfigTests",
            dependencies: ["CamProbeConfig", "CamProbeCore"],
            exclude: ["testdata"]
        ),
        .testTarget(name: "StoreTests", dependencies: ["Store", "CamProbeCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "StatusAPITests", dependencies: ["StatusAPI", "CamProbeCore"]),
        // A private RabbitMQ node for tests (scripts/rabbitmq-sandbox), usable from any test target.
        .target(name: "AMQPTestSupport", dependencies: ["AMQP"], path: "Tests/AMQPTestSupport"),
        .testTarget(name: "AMQPTests", dependencies: ["AMQP", "AMQPTestSupport"]),
        // The webhook receiver fixture (scripts/webhook-receiver.py), for any test target.
        .target(name: "WebhookTestSupport", path: "Tests/WebhookTestSupport"),
        .testTarget(name: "WebhookTests", dependencies: ["Webhook", "WebhookTestSupport"]),
        // Archive measurement against the ONVIF recorder fixture (scripts/onvif-recorder.py).
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "CamProbeCore", "CamProbeConfig", "WebhookTestSupport"]),
        // Deliveries end to end: real SQLite outbox, real HTTP receiver, real RabbitMQ.
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "Store", "CamProbeCore", "CamProbeConfig", "Webhook", "WebhookTestSupport", "AMQP",
                "AMQPTestSupport", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

import ArgumentParser
import CamProbeConfig
import CamProbeCore
import Delivery
import Logging
import Monitor
import ServiceLifecycle
import StatusAPI
import Store

/// The pieces `camprobe run` wires together, each built in one place.
extension RunCommand {
    static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// The configuration, and the config the daemon runs with: the file's
    /// `daemon:` settings with the command line's flags over them.
    func load(_ loader: ConfigLoader, logger: Logger) throws -> (LoadedConfig, ConfigFile) {
        let (loadedOrNil, diagnostics) = loader.load(path: config)
        guard let loaded = loadedOrNil else {
            for diagnostic in diagnostics { logger.error("\(diagnostic)") }
            logger.critical("the configuration has problems; not starting", metadata: ["problems": "\(diagnostics.count)"])
            throw ExitCode(1)
        }
        var runConfig = loaded.config
        if let statusSocket { runConfig.daemon.statusSocket = statusSocket }
        if let statusGroup { runConfig.daemon.statusGroup = statusGroup }
        if let metricsAddress { runConfig.daemon.metricsAddress = metricsAddress == "off" ? "" : metricsAddress }
        if let stateDir { runConfig.daemon.stateDir = stateDir }
        return (loaded, runConfig)
    }

    /// `body`'s value; its error logged as critical and the daemon not started.
    static func critical<T, E: Error>(_ logger: Logger, _ body: () throws(E) -> T) throws -> T {
        do {
            return try body()
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
    }

    /// The broker relay and the webhook sender, when configured.
    static func deliveries(
        _ loaded: LoadedConfig, store: StateStore, metrics: DeliveryMetrics, logger: Logger
    ) throws -> (QueueRelay?, WebhookDispatcher?) {
        var relay: QueueRelay?
        if let queue = loaded.config.queue, let credentials = loaded.secrets[queue.credentials] {
            relay = QueueRelay(
                queue: queue, credentials: credentials, store: store, logger: Logger(label: "camprobe.queue"), metrics: metrics)
        }
        guard !loaded.config.webhooks.routes.isEmpty else { return (relay, nil) }
        do {
            let dispatcher = try WebhookDispatcher(
                settings: loaded.config.webhooks, secrets: loaded.secrets, store: store,
                logger: Logger(label: "camprobe.webhooks"), metrics: metrics)
            return (relay, dispatcher)
        } catch {
            logger.critical("cannot start the webhook sender: \(error)")
            throw ExitCode(1)
        }
    }

    /// What the monitor tells the metrics and the deliveries.
    static func hooks(
        metrics: ProbeMetrics, deliveryMetrics: DeliveryMetrics, relay: QueueRelay?, dispatcher: WebhookDispatcher?
    ) -> MonitorHooks {
        MonitorHooks(
            probeFinished: { _, report, _ in metrics.recordProbe(report) },
            statusUpdated: { metrics.update($0) },
            inventoryChanged: { metrics.retainCameras($0) },
            outboxWritten: { [relay, dispatcher] result in
                relay?.wake()
                dispatcher?.wake()
                if result.trimmedUndelivered > 0 { deliveryMetrics.dropped(result.trimmedUndelivered) }
            },
            scheduleBehind: { metrics.setSchedulerBehind($0) },
            committed: { metrics.countCommit() })
    }

    /// Runs `services` until SIGTERM/SIGINT; tells systemd when it stops.
    static func run(
        _ services: [ServiceGroupConfiguration.ServiceConfiguration], notifier: SystemdNotifier, logger: Logger
    ) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("stopped on an error: \(error)")
            notifier.notify("STOPPING=1")
            throw ExitCode(1)
        }
        notifier.notify("STOPPING=1")
        logger.notice("camprobe stopped")
    }
}

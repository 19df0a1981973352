import ArgumentParser
import CamProbeConfig
import CamProbeCore
import Foundation
import Logging
import Delivery
import Monitor
import Probe
import Store
import Prometheus
import Report
import ServiceLifecycle
import StatusAPI

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: probe every inventory camera on its interval, keep state, serve status.",
        discussion: """
            Meant for systemd (Type=notify): READY=1 once the status socket listens, STATUS= with \
            live counts, WATCHDOG=1 when WatchdogSec= is set. SIGHUP reloads the configuration and \
            inventory without losing state (an invalid new configuration is rejected and the running \
            one stays); SIGTERM stops cleanly, cancelling probes in flight. Flags override the \
            config file's `daemon:` settings. Logs go to standard output, one line per event.
            """
    )

    @Option(help: "The configuration file (camprobe.yaml).")
    var config: String

    @Option(help: "Status socket path (default: the config's daemon.status_socket, /run/camprobe/status.sock).")
    var statusSocket: String?

    @Option(help: "Group given the status socket (mode 0660).")
    var statusGroup: String?

    @Option(help: "HOST:PORT of the Prometheus /metrics endpoint (default: the config's, 127.0.0.1:9464); 'off' turns it off.")
    var metricsAddress: String?

    @Option(help: "Directory of the state database (default: the config's daemon.state_dir, /var/lib/camprobe).")
    var stateDir: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logLevel = self.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "camprobe")
        let loader = ConfigLoader.fromEnvironment()
        let (loadedOrNil, diagnostics) = loader.load(path: config)
        guard let loaded = loadedOrNil else {
            for diagnostic in diagnostics { logger.error("\(diagnostic)") }
            logger.critical("the configuration has problems; not starting", metadata: ["problems": "\(diagnostics.count)"])
            throw ExitCode(1)
        }
        var daemon = loaded.config.daemon
        if let statusSocket { daemon.statusSocket = statusSocket }
        if let statusGroup { daemon.statusGroup = statusGroup }
        if let metricsAddress { daemon.metricsAddress = metricsAddress == "off" ? "" : metricsAddress }
        if let stateDir { daemon.stateDir = stateDir }

        var runConfig = loaded.config
        runConfig.daemon = daemon
        let store: StateStore
        do {
            store = try StateStore(directory: daemon.stateDir)
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        var metricsAddress: MetricsAddress?
        if !daemon.metricsAddress.isEmpty {
            do {
                metricsAddress = try MetricsAddress(parsing: daemon.metricsAddress)
            } catch {
                logger.critical("\(error)")
                throw ExitCode(1)
            }
        }
        let registry = PrometheusCollectorRegistry()
        MetricsBootstrap.bootstrap(registry)
        let metrics = ProbeMetrics(registry: registry)
        let deliveryMetrics = DeliveryMetrics()
        // Deliveries: the broker relay and the webhook routes, when configured.
        var relay: QueueRelay?
        if let queue = loaded.config.queue, let credentials = loaded.secrets[queue.credentials] {
            relay = QueueRelay(
                queue: queue, credentials: credentials, store: store, logger: Logger(label: "camprobe.queue"),
                metrics: deliveryMetrics)
        }
        var dispatcher: WebhookDispatcher?
        if !loaded.config.webhooks.routes.isEmpty {
            do {
                dispatcher = try WebhookDispatcher(
                    settings: loaded.config.webhooks, secrets: loaded.secrets, store: store,
                    logger: Logger(label: "camprobe.webhooks"), metrics: deliveryMetrics)
            } catch {
                logger.critical("cannot start the webhook sender: \(error)")
                throw ExitCode(1)
            }
        }
        let hooks = MonitorHooks(
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
        let notifier = SystemdNotifier()
        let probeConcurrency = daemon.maxConcurrentProbes ?? loaded.probeConcurrency
        let prober = Prober(concurrency: probeConcurrency)
        let monitor: Monitor
        do {
            monitor = try Monitor(
                loaded: loaded, configPath: config, loader: loader, store: store, prober: prober,
                settings: Monitor.Settings(runConfig, probeConcurrency: probeConcurrency), logger: logger, hooks: hooks)
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        let reports = Self.liveReport(loaded: loaded, monitor: monitor, store: store, stateDir: daemon.stateDir, logger: logger)
        let statusServer = StatusServer(
            source: monitor,
            reports: reports,
            configuration: StatusServerConfiguration(socketPath: daemon.statusSocket, group: daemon.statusGroup),
            logger: Logger(label: "camprobe.status"),
            onListening: { path in
                logger.notice("status socket listening", metadata: ["socket": "\(path)"])
                notifier.notify("READY=1\nSTATUS=started, probing \(loaded.cameras.count) cameras")
            })
        // Listed in dependency order, stopped in reverse: the deliveries stop
        // after the monitor, so its last events still go out.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let relay { services.append(.init(service: relay)) }
        if let dispatcher { services.append(.init(service: dispatcher)) }
        services += [
            .init(service: MonitorService(monitor: monitor)),
            .init(service: statusServer),
            .init(service: ReloadOnHangup(monitor: monitor, notifier: notifier, logger: logger)),
            .init(service: SystemdStatusService(monitor: monitor, notifier: notifier, lag: { metrics.setSchedulerLag(seconds: $0) })),
        ]
        if let metricsAddress {
            services.append(.init(service: MetricsServer(
                address: metricsAddress, registry: registry, collectors: [metrics],
                onListening: { port in logger.notice("metrics listening", metadata: ["address": "\(metricsAddress.host):\(port)"]) })))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.notice("camprobe starting", metadata: [
            "instance": "\(loaded.config.instance)", "cameras": "\(loaded.cameras.count)",
            "state_dir": "\(daemon.stateDir)", "status_socket": "\(daemon.statusSocket)",
            "probes_at_once": "\(probeConcurrency)\(daemon.maxConcurrentProbes == nil ? " (sized from the inventory)" : "")",
        ])
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

extension RunCommand {
    /// The report's side of the status socket; leaves the inventory in the state
    /// directory for `camprobe report --state-dir`.
    static func liveReport(loaded: LoadedConfig, monitor: Monitor, store: StateStore, stateDir: String, logger: Logger) -> LiveReport {
        let cameras = loaded.cameras.map { ReportCamera(status: FleetState.initialStatus(of: $0), profile: loaded.profile(for: $0)) }
        do {
            try ReportInventory.save(cameras, stateDirectory: stateDir)
        } catch {
            logger.error("cannot save the inventory for reports", metadata: ["state_dir": "\(stateDir)", "error": "\(error)"])
        }
        let snapshots = loaded.config.snapshots ? SnapshotStore.existing(stateDirectory: stateDir) : nil
        var profiles: [String: PolicyProfile] = [:]
        for camera in cameras { profiles[camera.status.id] = camera.profile }
        return LiveReport(monitor: monitor, store: store, snapshots: snapshots, profiles: profiles, language: loaded.language)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

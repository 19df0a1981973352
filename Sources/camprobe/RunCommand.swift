import Archive
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
        Self.bootstrapLogging(level: logLevel)
        let logger = Logger(label: "camprobe")
        let loader = ConfigLoader.fromEnvironment()
        let (loaded, runConfig) = try load(loader, logger: logger)
        let daemon = runConfig.daemon
        let store = try Self.critical(logger) { () throws(StateStoreError) in try StateStore(directory: daemon.stateDir) }
        let metricsAddress = try daemon.metricsAddress.isEmpty ? nil
            : Self.critical(logger) { () throws(MetricsAddressError) in try MetricsAddress(parsing: daemon.metricsAddress) }
        let registry = PrometheusCollectorRegistry()
        MetricsBootstrap.bootstrap(registry)
        let metrics = ProbeMetrics(registry: registry)
        let deliveryMetrics = DeliveryMetrics()
        let (relay, dispatcher) = try Self.deliveries(loaded, store: store, metrics: deliveryMetrics, logger: logger)
        let notifier = SystemdNotifier()
        let probeConcurrency = daemon.maxConcurrentProbes ?? loaded.probeConcurrency
        let monitor = try Self.critical(logger) { () throws(StateStoreError) in
            try Monitor(
                loaded: loaded, configPath: config, loader: loader, store: store, prober: Prober(concurrency: probeConcurrency),
                settings: Monitor.Settings(runConfig, probeConcurrency: probeConcurrency), logger: logger,
                hooks: Self.hooks(metrics: metrics, deliveryMetrics: deliveryMetrics, relay: relay, dispatcher: dispatcher))
        }
        let archiveMeter: ArchiveMeter
        do {
            archiveMeter = try ArchiveMeter()
        } catch {
            logger.critical("cannot set up the archive meter: \(error)")
            throw ExitCode(1)
        }
        let reports = Self.liveReport(loaded: loaded, monitor: monitor, store: store, stateDir: daemon.stateDir, logger: logger)
        // Loading a region and writing its report inventory freed far more than they keep.
        Prober.returnFreedMemory()
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
        // after the monitor, so its last events still go out. Each is named:
        // without a name, ServiceLifecycle names a service by printing it, and
        // printing the status server walks every camera's status (24 MiB of
        // text for a region, kept for the daemon's lifetime).
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let relay { services.append(.init(service: relay, serviceName: "queue relay")) }
        if let dispatcher { services.append(.init(service: dispatcher, serviceName: "webhook dispatcher")) }
        services += [
            .init(service: MonitorService(monitor: monitor), serviceName: "monitor"),
            .init(
                service: ArchiveService(monitor: monitor, meter: archiveMeter, logger: Logger(label: "camprobe.archive")),
                serviceName: "archive"),
            .init(service: statusServer, serviceName: "status socket"),
            .init(service: ReloadOnHangup(monitor: monitor, notifier: notifier, logger: logger), serviceName: "reload on SIGHUP"),
            .init(
                service: SystemdStatusService(monitor: monitor, notifier: notifier, lag: { metrics.setSchedulerLag(seconds: $0) }),
                serviceName: "systemd status"),
        ]
        if let metricsAddress {
            services.append(.init(
                service: MetricsServer(
                    address: metricsAddress, registry: registry, collectors: [metrics],
                    onListening: { port in logger.notice("metrics listening", metadata: ["address": "\(metricsAddress.host):\(port)"]) }),
                serviceName: "metrics"))
        }
        logger.notice("camprobe starting", metadata: [
            "instance": "\(loaded.config.instance)", "cameras": "\(loaded.cameras.count)",
            "state_dir": "\(daemon.stateDir)", "status_socket": "\(daemon.statusSocket)",
            "probes_at_once": "\(probeConcurrency)\(daemon.maxConcurrentProbes == nil ? " (sized from the inventory)" : "")",
        ])
        try await Self.run(services, notifier: notifier, logger: logger)
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
        return LiveReport(monitor: monitor, store: store, snapshots: snapshots, language: loaded.language)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

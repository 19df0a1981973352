import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The monitor's scheduling loop as a lifecycle service: graceful shutdown
/// (SIGTERM) cancels it, which cancels the probes in flight.
public struct MonitorService: Service {
    let monitor: Monitor

    public init(monitor: Monitor) {
        self.monitor = monitor
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await monitor.run()
        }
    }
}

/// SIGHUP (systemd's ExecReload) re-reads the configuration and inventory
/// without losing state; an invalid new config is rejected with a log line and
/// the running one stays.
public struct ReloadOnHangup: Service {
    let monitor: Monitor
    let notifier: SystemdNotifier
    let logger: Logger

    public init(monitor: Monitor, notifier: SystemdNotifier, logger: Logger) {
        self.monitor = monitor
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                logger.notice("SIGHUP: reloading the configuration")
                notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
                _ = await monitor.reload()
                notifier.notify("READY=1")
            }
        }
    }

    static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}

/// Tells systemd how things stand (STATUS= with live counts), feeds its
/// watchdog, and prunes old history once a day.
public struct SystemdStatusService: Service {
    let monitor: Monitor
    let notifier: SystemdNotifier
    let interval: Duration
    let lag: @Sendable (Double) -> Void

    public init(
        monitor: Monitor, notifier: SystemdNotifier, interval: Duration = .seconds(10),
        lag: @escaping @Sendable (Double) -> Void = { _ in }
    ) {
        self.monitor = monitor
        self.notifier = notifier
        self.lag = lag
        self.interval = notifier.watchdogInterval.map { min($0, interval) } ?? interval
    }

    public func run() async throws {
        await monitor.prune()
        await cancelWhenGracefulShutdown {
            var lastPrune = ContinuousClock.now
            while !Task.isCancelled {
                let (c, schedulerLag, behind) = await monitor.counts()
                lag(schedulerLag)
                let schedule = behind ? "BEHIND SCHEDULE by \(Int(schedulerLag.rounded())) s" : "scheduler lag \(Int(schedulerLag.rounded())) s"
                notifier.notify(
                    "WATCHDOG=1\nSTATUS=\(c.cameras) cameras: \(c.up) up, \(c.degraded) degraded, \(c.down) down, \(c.unknown) unknown; \(schedule)")
                if ContinuousClock.now - lastPrune > .seconds(86_400) {
                    await monitor.prune()
                    lastPrune = .now
                }
                // Cancelled at shutdown: that ends the loop, it is no error.
                try? await Task.sleep(for: interval)
            }
        }
    }
}

import CamProbeConfig
import CamProbeCore
import Foundation

extension Monitor {
    /// What the daemon loop runs with, from the configuration (every default
    /// is the configuration's, see `ConfigDefaults`).
    public struct Settings: Sendable {
        public var stateMachine: StateMachinePolicy
        public var fleetGuard: FleetGuardPolicy
        public var schedule: ProbeScheduleSettings
        /// Seconds of history kept.
        public var retention: TimeInterval
        /// Where events go (fixed at start: a reload does not add a broker or routes).
        public var routing: EventRouting
        public var outboxLimit: Int
        /// Seconds between snapshots; 0: none.
        public var snapshotInterval: Double
        /// Seconds between heartbeats (written only with a queue); 0: none.
        public var heartbeatInterval: Double
        /// Seconds down/degraded before a reminder, and between reminders; 0: none.
        public var reminderAfter: Double
        /// When the schedule counts as behind.
        public var lagWatch: ScheduleLagWatch
        /// Keep each camera's latest snapshot and the one at its last state change.
        public var snapshots: Bool

        /// The settings `config` asks for, with `probeConcurrency` probes at
        /// once (``LoadedConfig/probeConcurrency``: configured or sized).
        public init(_ config: ConfigFile, probeConcurrency: Int) {
            let daemon = config.daemon
            stateMachine = StateMachinePolicy.default
            stateMachine.failuresToDown = daemon.failuresToDown
            stateMachine.successesToRecover = daemon.successesToRecover
            fleetGuard = .default
            schedule = ProbeScheduleSettings.default
            schedule.maxConcurrentProbes = probeConcurrency
            schedule.maxSessionsPerHost = daemon.sessionsPerHost
            retention = Double(daemon.retentionDays) * 86_400
            routing = EventRouting(queue: config.queue != nil, routes: config.webhooks.routes)
            outboxLimit = config.events.outboxLimit
            snapshotInterval = config.events.snapshotInterval
            heartbeatInterval = config.queue == nil ? 0 : config.events.heartbeatInterval
            reminderAfter = config.webhooks.routes.isEmpty ? 0 : config.webhooks.reminderAfter
            lagWatch = ScheduleLagWatch(threshold: daemon.lagWarning)
            snapshots = config.snapshots
        }
    }
}

import CamProbeConfig
import CamProbeCore
import Dispatch
import Logging
import Store
import Synchronization

/// The daemon's state writes, off the monitor's actor: one serial queue runs
/// them in the order they were handed over, so a commit's fsync never holds up
/// the schedule or the status socket. Events reach the relays only once their
/// transaction is committed (``MonitorHooks/outboxWritten``).
final class StoreWriter: Sendable {
    private let queue = DispatchQueue(label: "camprobe.store-writer")
    private let store: StateStore
    private let routing: EventRouting
    private let outboxLimit: Int
    private let logger: Logger
    private let hooks: MonitorHooks
    /// Whether the outbox was last seen near its limit (warned once per crossing).
    private let outboxWarned = Mutex(false)

    init(store: StateStore, routing: EventRouting, outboxLimit: Int, logger: Logger, hooks: MonitorHooks) {
        self.store = store
        self.routing = routing
        self.outboxLimit = outboxLimit
        self.logger = logger
        self.hooks = hooks
    }

    /// Writes state and the events describing it in one transaction, after
    /// everything handed over before.
    func write(_ updates: [CameraUpdate], _ events: [CloudEvent], about camera: String?) {
        queue.async { self.commit(updates, events, about: camera) }
    }

    /// Returns once everything handed over so far is committed (before a read
    /// of the store, a prune, a reload, the end).
    func drain() {
        queue.sync {}
    }

    /// Most probes change nothing and write no event: those take the plain
    /// state write, which does not count the outbox (a count of a large outbox
    /// in every write transaction would hold the writer). Says when the outbox
    /// nears its limit or had to drop undelivered events.
    private func commit(_ updates: [CameraUpdate], _ cloudEvents: [CloudEvent], about camera: String?) {
        let items = cloudEvents.map { OutboxItem(event: $0, sinks: routing.sinks(for: $0)) }
        do {
            guard !items.isEmpty else {
                try store.record(updates)
                hooks.committed()
                return
            }
            let result = try store.record(updates, events: items, limit: outboxLimit)
            hooks.committed()
            hooks.outboxWritten(result)
            let near = Double(result.events) >= EventSettings.warnShare * Double(outboxLimit)
            let warned = outboxWarned.withLock { warned in
                defer { warned = near }
                return warned
            }
            if near, !warned {
                logger.warning("the outbox is nearly full: events are not being delivered", metadata: [
                    "events": "\(result.events)", "limit": "\(outboxLimit)"])
            }
            if result.trimmedUndelivered > 0 {
                logger.error("outbox full: oldest undelivered events dropped", metadata: [
                    "dropped": "\(result.trimmedUndelivered)", "limit": "\(outboxLimit)"])
            }
        } catch {
            var metadata: Logger.Metadata = ["error": "\(error)", "events": "\(items.count)", "cameras": "\(updates.count)"]
            if let camera { metadata["camera"] = "\(camera)" }
            logger.error("cannot save camera state", metadata: metadata)
        }
    }
}

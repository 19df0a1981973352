import AMQP
import CamProbeConfig
import CamProbeCore
import Foundation
import Logging
import Store
import ServiceLifecycle

/// Publishes the outbox's events to the broker, oldest first, and removes each
/// from the outbox only once the broker confirmed it (publisher confirms):
/// whatever dies in between — the broker, the network, this process — the
/// event is still in the outbox and is published again (at least once;
/// consumers drop duplicates by the CloudEvent `id`).
///
/// Order per camera holds because a batch is the oldest pending events in
/// outbox order and a failed batch is retried from its first unconfirmed event.
///
/// librabbitmq blocks, so the relay runs on a thread of its own, never on
/// Swift's cooperative pool. The service's `run()` waits for that thread;
/// graceful shutdown stops it within about a second (a publish in flight
/// finishes or times out first: its confirm deadline).
public final class QueueRelay: Service, Sendable {
    let settings: AMQPSettings
    let batch: Int
    let store: StateStore
    let logger: Logger
    let metrics: DeliveryMetrics
    private let thread = DeliveryThread(name: "camprobe-queue-relay")

    /// Seconds between heartbeat services and backlog gauges while idle.
    static let idleTick = 1.0
    /// A failure that goes on is said again this often (with the backlog).
    static let repeatFailureLog = 300.0

    /// Reconnects: 1 s, 2 s, 4 s… up to a minute, jittered.
    public static let defaultBackoff = Backoff(base: 1, cap: 60)
    let backoff: Backoff

    public init(
        queue: QueueSettings, credentials: Credentials, store: StateStore, logger: Logger,
        metrics: DeliveryMetrics = DeliveryMetrics(), backoff: Backoff = defaultBackoff
    ) {
        self.backoff = backoff
        settings = AMQPSettings(
            host: queue.host, port: queue.port, virtualHost: queue.virtualHost, user: credentials.username,
            password: credentials.password, useTLS: queue.scheme == .amqps, caFile: queue.caFile,
            verifyPeer: true, verifyHostname: queue.verifyHostname, exchange: queue.exchange, queue: queue.queue,
            heartbeat: queue.heartbeat, connectTimeout: queue.connectTimeout, confirmTimeout: queue.confirmTimeout)
        batch = queue.batch
        self.store = store
        self.logger = logger
        self.metrics = metrics
    }

    /// New events are in the outbox: publish them now rather than at the next tick.
    public func wake() { thread.wake() }

    /// Runs until graceful shutdown (or cancellation) stops the thread.
    public func run() async throws {
        await thread.run { self.loop() }
    }

    // MARK: The thread

    /// Consecutive failures: how long the next backoff is, and whether the
    /// failure was already said (the same one again only every few minutes).
    private struct FailureStreak {
        var count = 0
        var lastReport: (text: String, at: Date)?
        var random = SystemRandomNumberGenerator()
    }

    private func loop() {
        var publisher: AMQPPublisher?
        var streak = FailureStreak()
        var connections = 0
        var nextGauges = Date()
        logger.info("queue relay started", metadata: ["broker": "\(settings.redactedDescription)"])
        while !thread.isStopped {
            guard let open = publisher else {
                do {
                    publisher = try AMQPPublisher(settings: settings)
                    connections += 1
                    if connections > 1 { metrics.reconnected() }
                    metrics.connected(true)
                    logger.notice("connected to the broker", metadata: ["broker": "\(settings.endpoint)", "waiting": "\(backlog())"])
                    streak = FailureStreak()
                } catch {
                    metrics.connected(false)
                    backOff(after: error, streak: &streak)
                }
                continue
            }
            let pending: [PendingDelivery]
            do {
                pending = try store.pending(sink: EventRouting.queueSink, limit: batch)
            } catch {
                logger.error("queue relay cannot read the outbox", metadata: ["error": "\(error)"])
                thread.pause(5)
                continue
            }
            if Date() >= nextGauges {
                publishGauges()
                nextGauges = Date().addingTimeInterval(5)
            }
            if pending.isEmpty {
                thread.wait(seconds: Self.idleTick)
                do {
                    try open.idle(for: 0)  // heartbeats, and notice a dead connection
                } catch {
                    drop(&publisher, after: error, streak: &streak)
                }
                continue
            }
            publish(pending, on: open, publisher: &publisher, streak: &streak)
        }
        publisher?.close()
        metrics.connected(false)
        logger.info("queue relay stopped", metadata: ["waiting": "\(backlog())"])
    }

    /// Publishes one batch with confirms and takes what the broker confirmed
    /// out of the outbox; on failure, backs off or drops the connection.
    private func publish(
        _ pending: [PendingDelivery], on open: AMQPPublisher, publisher: inout AMQPPublisher?, streak: inout FailureStreak
    ) {
        let messages = pending.map {
            AMQPMessage(routingKey: $0.routingKey, body: $0.body, messageID: $0.id, type: $0.type, timestamp: $0.time)
        }
        let started = Date()
        do {
            try open.publish(messages)
            try markDelivered(pending)
            metrics.published(pending.count, confirmSeconds: Date().timeIntervalSince(started))
        } catch let error as AMQPError {
            // The confirmed prefix is safe at the broker: take it out of the outbox.
            try? markDelivered(Array(pending.prefix(error.confirmed)))
            if error.confirmed > 0 { metrics.published(error.confirmed, confirmSeconds: Date().timeIntervalSince(started)) }
            if open.isOpen {
                // nack, confirm timeout, broker blocked: same connection, later.
                backOff(after: error, streak: &streak)
            } else {
                drop(&publisher, after: error, streak: &streak)
            }
        } catch {
            logger.error("queue relay cannot update the outbox", metadata: ["error": "\(error)"])
            thread.pause(5)
        }
    }

    private func markDelivered(_ deliveries: [PendingDelivery]) throws(StateStoreError) {
        try store.delivered(sink: EventRouting.queueSink, seqs: deliveries.map(\.seq))
    }

    /// A connection-level failure: the publisher is dead; connect again after the backoff.
    private func drop(_ publisher: inout AMQPPublisher?, after error: any Error, streak: inout FailureStreak) {
        publisher?.close()
        publisher = nil
        metrics.connected(false)
        backOff(after: error, streak: &streak)
    }

    /// Says the failure (once per new failure; the same one again every few
    /// minutes, with the backlog) and waits out the next backoff.
    private func backOff(after error: any Error, streak: inout FailureStreak) {
        let delay = backoff.delay(attempt: streak.count, using: &streak.random)
        streak.count += 1
        let text = "\(error)"
        let repeated = streak.lastReport.map { $0.text == text && Date().timeIntervalSince($0.at) < Self.repeatFailureLog } ?? false
        if !repeated {
            streak.lastReport = (text, Date())
            logger.error("cannot publish to the broker: \(text)", metadata: [
                "retry_in": "\(String(format: "%.1f", delay))s", "waiting": "\(backlog())",
            ])
        }
        thread.pause(delay)
    }

    private func backlog() -> Int {
        (try? store.outboxStats(limit: 0).pending[EventRouting.queueSink]) ?? 0
    }

    private func publishGauges() {
        guard let stats = try? store.outboxStats(limit: 0) else { return }
        metrics.outbox(events: stats.events, pending: stats.pending, sinks: Set(stats.pending.keys).union([EventRouting.queueSink]))
    }
}

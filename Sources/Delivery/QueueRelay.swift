import AMQP
import CamProbeConfig
import CamProbeCore
import Foundation
import Logging
import Monitor
import ServiceLifecycle
import Synchronization

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
    private let wakeSignal = WakeSignal()
    private let stopFlag = StopFlag()

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
    public func wake() { wakeSignal.signal() }

    /// Runs until graceful shutdown (or cancellation) stops the thread.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.runThread() }
    }

    private func runThread() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    loop()
                    done.resume()
                }
                thread.name = "camprobe-queue-relay"
                thread.start()
            }
        } onCancel: {
            stopFlag.stop()
            wakeSignal.signal()
        }
    }

    // MARK: The thread

    private func loop() {
        var random = SystemRandomNumberGenerator()
        var publisher: AMQPPublisher?
        var failures = 0
        var connections = 0
        var lastFailure: (text: String, at: Date)?
        var nextGauges = Date()
        logger.info("queue relay started", metadata: ["broker": "\(settings.redactedDescription)"])
        while !stopFlag.isStopped {
            guard let open = publisher else {
                do {
                    publisher = try AMQPPublisher(settings: settings)
                    connections += 1
                    if connections > 1 { metrics.reconnected() }
                    metrics.connected(true)
                    logger.notice("connected to the broker", metadata: ["broker": "\(settings.endpoint)", "waiting": "\(backlog())"])
                    failures = 0
                    lastFailure = nil
                } catch {
                    metrics.connected(false)
                    let delay = backoff.delay(attempt: failures, using: &random)
                    failures += 1
                    report(error, delay: delay, last: &lastFailure)
                    pause(delay)
                }
                continue
            }
            let pending: [PendingDelivery]
            do {
                pending = try store.pending(sink: EventRouting.queueSink, limit: batch)
            } catch {
                logger.error("queue relay cannot read the outbox", metadata: ["error": "\(error)"])
                pause(5)
                continue
            }
            if Date() >= nextGauges {
                publishGauges()
                nextGauges = Date().addingTimeInterval(5)
            }
            if pending.isEmpty {
                wakeSignal.wait(seconds: Self.idleTick)
                do {
                    try open.idle(for: 0)  // heartbeats, and notice a dead connection
                } catch {
                    drop(&publisher, error, failures: &failures, random: &random, last: &lastFailure)
                }
                continue
            }
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
                    let delay = backoff.delay(attempt: failures, using: &random)
                    failures += 1
                    report(error, delay: delay, last: &lastFailure)
                    pause(delay)
                } else {
                    drop(&publisher, error, failures: &failures, random: &random, last: &lastFailure)
                }
            } catch {
                logger.error("queue relay cannot update the outbox", metadata: ["error": "\(error)"])
                pause(5)
            }
        }
        publisher?.close()
        metrics.connected(false)
        logger.info("queue relay stopped", metadata: ["waiting": "\(backlog())"])
    }

    private func markDelivered(_ deliveries: [PendingDelivery]) throws(StateStoreError) {
        try store.delivered(sink: EventRouting.queueSink, seqs: deliveries.map(\.seq))
    }

    private func drop(
        _ publisher: inout AMQPPublisher?, _ error: any Error, failures: inout Int,
        random: inout SystemRandomNumberGenerator, last: inout (text: String, at: Date)?
    ) {
        publisher?.close()
        publisher = nil
        metrics.connected(false)
        let delay = backoff.delay(attempt: failures, using: &random)
        failures += 1
        report(error, delay: delay, last: &last)
        pause(delay)
    }

    /// Waits out a backoff: new events do not shorten it (they would turn a
    /// broker outage into a reconnect per event); a stop does.
    private func pause(_ seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !stopFlag.isStopped, Date() < deadline {
            wakeSignal.wait(seconds: deadline.timeIntervalSinceNow)
        }
    }

    /// One line per new failure; the same failure again every few minutes, with the backlog.
    private func report(_ error: any Error, delay: Double, last: inout (text: String, at: Date)?) {
        let text = "\(error)"
        if let last, last.text == text, Date().timeIntervalSince(last.at) < Self.repeatFailureLog { return }
        last = (text, Date())
        logger.error("cannot publish to the broker: \(text)", metadata: [
            "retry_in": "\(String(format: "%.1f", delay))s", "waiting": "\(backlog())",
        ])
    }

    private func backlog() -> Int {
        (try? store.outboxStats(limit: 0).pending[EventRouting.queueSink]) ?? 0
    }

    private func publishGauges() {
        guard let stats = try? store.outboxStats(limit: 0) else { return }
        metrics.outbox(events: stats.events, pending: stats.pending, sinks: Set(stats.pending.keys).union([EventRouting.queueSink]))
    }
}

/// Set once on graceful shutdown; read by the relay thread.
final class StopFlag: Sendable {
    private let flag = Synchronization.Atomic<Bool>(false)
    func stop() { flag.store(true, ordering: .releasing) }
    var isStopped: Bool { flag.load(ordering: .acquiring) }
}

import CamProbeConfig
import CamProbeCore
import Foundation
import Logging
import Store
import ServiceLifecycle
import Webhook

/// Delivers the outbox's alerts to the webhook routes, each from its own
/// outbox destination (`webhook:<route>`), so a slow or dead endpoint holds
/// back only its own alerts.
///
/// Per route and pass:
/// - quiet hours: due alerts wait (without counting an attempt) until they end;
/// - storms: alerts wait until the oldest is ``WebhookSettings/digestWindow``
///   old; then more than ``WebhookSettings/digestThreshold`` of them go as one
///   digest message, fewer one message each. A DVR going down is already one
///   alert: the fleet guard marks its cameras' own changes as covered;
/// - a 2xx removes the delivery; a failure or any other answer is retried with
///   exponential backoff and jitter, no sooner than `Retry-After`; an alert
///   still undelivered after ``WebhookSettings/giveUpAfter`` is given up, with
///   a log line and a metric.
///
/// Pending alerts live in the outbox, so a restart resumes them. curl blocks:
/// the loop runs on a thread of its own; the transport bounds concurrency.
public final class WebhookDispatcher: Service, Sendable {
    struct Route: Sendable {
        var route: AlertRoute
        /// The URL with the token in it; only curl sees it.
        var url: String
        var redactedURL: String
        var signingSecret: String?
    }

    let routes: [Route]
    let settings: WebhookSettings
    let store: StateStore
    let transport: WebhookTransport
    let logger: Logger
    let metrics: DeliveryMetrics
    let calendar: Calendar
    private let thread = DeliveryThread(name: "camprobe-webhooks")

    static let batch = 100
    static let tick = 1.0
    /// Retries: 2 s, 4 s, 8 s… up to 10 minutes, jittered.
    public static let defaultBackoff = Backoff(base: 2, cap: 600)
    let backoff: Backoff

    public init(
        settings: WebhookSettings, secrets: SecretsStore, store: StateStore, logger: Logger,
        metrics: DeliveryMetrics = DeliveryMetrics(), calendar: Calendar = .current, backoff: Backoff = defaultBackoff
    ) throws {
        self.backoff = backoff
        self.settings = settings
        self.store = store
        self.logger = logger
        self.metrics = metrics
        self.calendar = calendar
        routes = settings.routes.map { route in
            let secret = route.secret.flatMap { secrets[$0]?.password }
            var url = route.url
            if route.format == .telegram, let secret { url = url.replacingOccurrences(of: "{token}", with: secret) }
            return Route(
                route: route, url: url, redactedURL: Self.redact(route.url),
                signingSecret: route.format == .json ? secret : nil)
        }
        transport = try WebhookTransport(settings: WebhookTransportSettings(
            connectTimeout: settings.connectTimeout, totalTimeout: settings.timeout, caFile: settings.caFile,
            maxConcurrent: settings.concurrency))
    }

    /// A URL as logs show it: `{token}` and a Telegram `bot<token>` segment as `***`.
    static func redact(_ url: String) -> String {
        var text = url.replacingOccurrences(of: "{token}", with: "***")
        if let range = text.range(of: #"/bot[^/]+/"#, options: .regularExpression) {
            text.replaceSubrange(range, with: "/bot***/")
        }
        return text
    }

    /// New alerts are in the outbox: look at them now rather than at the next tick.
    public func wake() { thread.wake() }

    /// Runs until graceful shutdown (or cancellation) stops the thread.
    public func run() async throws {
        await thread.run { self.loop() }
    }

    private func loop() {
        logger.info("webhook dispatcher started", metadata: ["routes": "\(routes.map(\.route.name).joined(separator: ","))"])
        var random = SystemRandomNumberGenerator()
        while !thread.isStopped {
            var requests: [(Route, [PendingDelivery], WebhookRequest)] = []
            for route in routes {
                do {
                    requests += try prepare(route)
                } catch {
                    logger.error("webhook route cannot read the outbox", metadata: ["route": "\(route.route.name)", "error": "\(error)"])
                }
            }
            if requests.isEmpty {
                thread.wait(seconds: Self.tick)
                continue
            }
            let results = transport.send(requests.map(\.2))
            for ((route, deliveries, request), result) in zip(requests, results) {
                settle(route, deliveries, request: request, result: result, random: &random)
            }
        }
        logger.info("webhook dispatcher stopped")
    }

    /// The requests one route sends now (none while holding for quiet hours or a digest window).
    private func prepare(_ route: Route) throws -> [(Route, [PendingDelivery], WebhookRequest)] {
        let sink = route.route.sink
        let now = Date()
        var due = try store.pending(sink: sink, limit: Self.batch, now: now)
        guard !due.isEmpty else { return [] }
        // Given up: too old to matter.
        let expired = due.filter { now.timeIntervalSince($0.time) > settings.giveUpAfter }
        if !expired.isEmpty {
            try store.delivered(sink: sink, seqs: expired.map(\.seq))
            metrics.webhook(route: route.route.name, outcome: "given_up", count: expired.count)
            logger.error("webhook alerts given up: undelivered for too long", metadata: [
                "route": "\(route.route.name)", "alerts": "\(expired.count)", "url": "\(route.redactedURL)",
                "last_error": "\(expired.last?.lastError ?? "")",
            ])
            due.removeAll { now.timeIntervalSince($0.time) > settings.giveUpAfter }
        }
        guard let oldest = due.first else { return [] }
        if let quiet = route.route.quietHours, let end = quiet.end(after: now, calendar: calendar) {
            try store.hold(sink: sink, seqs: due.map(\.seq), until: end)
            logger.info("webhook alerts held for quiet hours", metadata: ["route": "\(route.route.name)", "alerts": "\(due.count)", "until": "\(end)"])
            return []
        }
        // A storm gathers: wait for the window to close (first attempts only).
        if oldest.attempts == 0, now.timeIntervalSince(oldest.time) < settings.digestWindow { return [] }
        let decoder = CloudEvent.decoder()
        var events: [(PendingDelivery, CloudEvent)] = []
        for delivery in due {
            guard let event = try? decoder.decode(CloudEvent.self, from: Data(delivery.body)) else {
                logger.error("webhook alert dropped: the stored event does not decode", metadata: ["route": "\(route.route.name)", "event": "\(delivery.id)"])
                try store.delivered(sink: sink, seqs: [delivery.seq])
                continue
            }
            events.append((delivery, event))
        }
        if events.count > settings.digestThreshold {
            return [(route, events.map(\.0), request(route, events.map(\.1), id: "digest-\(events[0].0.seq)"))]
        }
        return events.map { (route, [$0.0], request(route, [$0.1], id: $0.1.id)) }
    }

    private func request(_ route: Route, _ events: [CloudEvent], id: String) -> WebhookRequest {
        let payload = AlertPayload.make(events, route: route.route)
        var headers: [(name: String, value: String)] = [("Content-Type", payload.contentType)]
        if route.route.format == .json, let first = events.first {
            headers.append(("ce-id", events.count == 1 ? first.id : id))
        }
        let request = WebhookRequest(id: id, url: route.url, headers: headers, body: payload.body, redactedURL: route.redactedURL)
        guard let secret = route.signingSecret else { return request }
        return WebhookSigner(secret: secret).signed(request, at: Date())
    }

    private func settle(
        _ route: Route, _ deliveries: [PendingDelivery], request: WebhookRequest, result: WebhookResult,
        random: inout SystemRandomNumberGenerator
    ) {
        let sink = route.route.sink
        let seqs = deliveries.map(\.seq)
        let name = route.route.name
        do {
            switch result.outcome {
            case .delivered:
                try store.delivered(sink: sink, seqs: seqs)
                metrics.webhook(route: name, outcome: "delivered", count: deliveries.count)
                logger.info("webhook alert delivered", metadata: ["route": "\(name)", "alerts": "\(deliveries.count)"])
            case let .rejected(status, retryAfter):
                try retry(route, deliveries, error: "HTTP \(status)", retryAfter: retryAfter, random: &random)
            case let .failed(error):
                try retry(route, deliveries, error: "\(error)", retryAfter: nil, random: &random)
            }
        } catch {
            logger.error("webhook route cannot update the outbox", metadata: ["route": "\(name)", "error": "\(error)"])
        }
    }

    private func retry(
        _ route: Route, _ deliveries: [PendingDelivery], error: String, retryAfter: Double?,
        random: inout SystemRandomNumberGenerator
    ) throws {
        let attempts = deliveries.map(\.attempts).max() ?? 0
        var delay = backoff.delay(attempt: attempts, using: &random)
        if let retryAfter { delay = max(delay, min(retryAfter, 3600)) }
        try store.retryLater(sink: route.route.sink, seqs: deliveries.map(\.seq), next: Date().addingTimeInterval(delay), error: error)
        metrics.webhook(route: route.route.name, outcome: "retry", count: deliveries.count)
        logger.warning("webhook delivery failed: \(error)", metadata: [
            "route": "\(route.route.name)", "url": "\(route.redactedURL)", "alerts": "\(deliveries.count)",
            "attempt": "\(attempts + 1)", "retry_in": "\(String(format: "%.1f", delay))s",
        ])
    }
}

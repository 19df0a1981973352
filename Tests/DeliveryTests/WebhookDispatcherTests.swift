import AMQPTestSupport
import CamProbeConfig
import CamProbeCore
import Delivery
import Foundation
import Testing
import Webhook
import WebhookTestSupport
@testable import Store

/// The webhook dispatcher against a real HTTP receiver on loopback and a real
/// SQLite outbox: delivery, signatures, retries, restarts, digests, formats.
@Suite(.serialized)
struct WebhookDispatcherTests {
    static let secrets = SecretsStore([
        "hmac": Credentials(username: "hmac", password: "k3y-for-tests"),
        "bot": Credentials(username: "token", password: "123456:SECRET-BOT-TOKEN"),
    ])
    static let fastRetries = Backoff(base: 0.2, cap: 1)

    static func settings(_ routes: [AlertRoute], digestWindow: Double = 0, timeout: Double = 2) -> WebhookSettings {
        WebhookSettings(routes: routes, connectTimeout: 1, timeout: timeout, digestWindow: digestWindow, digestThreshold: 3)
    }

    /// Runs the dispatcher while `body` runs, then stops it (graceful cancel).
    static func running(
        _ settings: WebhookSettings, store: StateStore, log: CapturedLog = CapturedLog(),
        _ body: (WebhookDispatcher) async throws -> Void
    ) async throws {
        let dispatcher = try WebhookDispatcher(
            settings: settings, secrets: secrets, store: store, logger: log.logger("webhooks"), backoff: fastRetries)
        try await whileRunning(dispatcher, body)
    }

    @Test func jsonRoute_deliversTheCloudEventSignedAndEmptiesTheOutbox() async throws {
        let receiver = try WebhookReceiver(secret: "k3y-for-tests")
        let route = AlertRoute(name: "ops", url: "http://127.0.0.1:\(receiver.port)/hook", format: .json, secret: "hmac")
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        let event = Events.camera("cam-1", .up, .down)
        try store.append([OutboxItem(event: event, sinks: [route.sink])])
        try await Self.running(Self.settings([route]), store: store) { dispatcher in
            dispatcher.wake()
            try await eventually("the receiver got the alert") { try receiver.received().requests.count == 1 }
            try await eventually("the outbox is empty") { try store.pending(sink: route.sink, limit: 10).isEmpty }
        }
        let request = try #require(try receiver.received().requests.first)
        #expect(request.path == "/hook")
        #expect(request.signatureOk == true, "the receiver verified X-CamProbe-Signature")
        #expect(request.header("Content-Type") == "application/cloudevents+json")
        #expect(request.header("ce-id") == event.id)
        let header = try #require(request.header(WebhookSigner.headerName))
        #expect(WebhookSigner.verify(header: header, body: request.body, secret: "k3y-for-tests", now: Date()))
        let delivered = try CloudEvent.decoder().decode(CloudEvent.self, from: Data(request.body))
        #expect(delivered.id == event.id)
        #expect(delivered.subject == "cam-1")
        #expect(try store.events().events.first?.pending == [], "kept in the outbox, owed to nobody")
    }

    @Test func failures_500AndTimeouts_areRetriedUntilDelivered() async throws {
        let receiver = try WebhookReceiver(secret: "k3y-for-tests")
        try receiver.script(path: "/hook", responses: [.status(500), .delay(4), .status(503, retryAfter: "1"), .status(200)])
        let route = AlertRoute(name: "ops", url: "http://127.0.0.1:\(receiver.port)/hook", format: .json, secret: "hmac")
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        let event = Events.camera("cam-1", .up, .down)
        try store.append([OutboxItem(event: event, sinks: [route.sink])])
        let log = CapturedLog()
        let started = Date()
        try await Self.running(Self.settings([route], timeout: 1.5), store: store, log: log) { _ in
            try await eventually(timeout: 60, "delivered after three failures") { try store.pending(sink: route.sink, limit: 10, now: .distantFuture).isEmpty }
        }
        let requests = try receiver.received().requests
        #expect(requests.count == 4)
        #expect(Set(requests.map { String(decoding: $0.body, as: UTF8.self) }).count == 1, "the same event each time")
        // Retry-After: 1 was honoured between the third and fourth attempts.
        #expect(requests[3].time - requests[2].time >= 0.9)
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(log.text.contains("HTTP 500"))
        #expect(log.text.contains("timeout"))
    }

    @Test func refusedConnections_areRetriedUntilTheEndpointComesUp() async throws {
        let port = try RabbitMQServer.freePort()
        let route = AlertRoute(name: "ops", url: "http://127.0.0.1:\(port)/hook", format: .slack)
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        try store.append([OutboxItem(event: Events.camera("cam-1", .up, .down), sinks: [route.sink])])
        let log = CapturedLog()
        try await Self.running(Self.settings([route]), store: store, log: log) { _ in
            try await eventually("a refused attempt") { try store.pending(sink: route.sink, limit: 1, now: .distantFuture).first?.attempts ?? 0 >= 2 }
            let receiver = try WebhookReceiver(port: port)
            try await eventually("delivered once the endpoint is up") { try store.pending(sink: route.sink, limit: 1, now: .distantFuture).isEmpty }
            #expect(try receiver.received().requests.count == 1)
        }
        #expect(log.text.contains("refused") || log.text.contains("connect"), "\(log.text.suffix(500))")
    }

    @Test func restart_keepsPendingAlertsAndDeliversThemAfterwards() async throws {
        let receiver = try WebhookReceiver()
        try receiver.script(path: "/hook", responses: Array(repeating: .status(500), count: 50))
        let route = AlertRoute(name: "ops", url: "http://127.0.0.1:\(receiver.port)/hook", format: .slack)
        let directory = try StateDirectory()
        let events = (1...2).map { Events.camera("cam-\($0)", .up, .down) }
        do {
            let store = try StateStore(directory: directory.path)
            try store.append(events.map { OutboxItem(event: $0, sinks: [route.sink]) })
            try await Self.running(Self.settings([route]), store: store) { _ in
                try await eventually("failed attempts") { try receiver.received().requests.count >= 2 }
            }
        }
        try receiver.reset()
        // A new process: the store reopened from the file, a new dispatcher.
        let reopened = try StateStore(directory: directory.path)
        #expect(try reopened.pending(sink: route.sink, limit: 10, now: .distantFuture).count == 2)
        try await Self.running(Self.settings([route]), store: reopened) { _ in
            try await eventually("both delivered after the restart") { try reopened.pending(sink: route.sink, limit: 10, now: .distantFuture).isEmpty }
        }
        let texts = try receiver.received().requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(texts.count == 2)
        #expect(texts.contains { $0.contains("cam-1") } && texts.contains { $0.contains("cam-2") })
    }

    @Test func storm_goesOutAsOneDigest() async throws {
        let receiver = try WebhookReceiver(secret: "k3y-for-tests")
        let route = AlertRoute(name: "ops", url: "http://127.0.0.1:\(receiver.port)/hook", format: .json, secret: "hmac")
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        let events = (1...6).map { Events.camera("cam-\($0)", .up, .down, host: "10.9.9.\($0)") }
        try store.append(events.map { OutboxItem(event: $0, sinks: [route.sink]) })
        try await Self.running(Self.settings([route], digestWindow: 1), store: store) { _ in
            try await eventually("delivered") { try store.pending(sink: route.sink, limit: 10, now: .distantFuture).isEmpty }
        }
        let requests = try receiver.received().requests
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.header("Content-Type") == "application/cloudevents-batch+json")
        #expect(request.signatureOk == true)
        let batch = try CloudEvent.decoder().decode([CloudEvent].self, from: Data(request.body))
        #expect(batch.map(\.id) == events.map(\.id))
    }

    @Test func telegramRoute_postsSendMessageWithTheTokenOnlyInTheURL() async throws {
        let receiver = try WebhookReceiver()
        try receiver.script(path: "/bot123456:SECRET-BOT-TOKEN/sendMessage", responses: [.status(502), .status(200)])
        var route = AlertRoute(
            name: "tg", url: "http://127.0.0.1:\(receiver.port)/bot{token}/sendMessage", format: .telegram, secret: "bot",
            chatID: "-1001234567890")
        route.language = .kk
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        try store.append([OutboxItem(event: Events.camera("cam-1", .up, .down), sinks: [route.sink])])
        let log = CapturedLog()
        try await Self.running(Self.settings([route]), store: store, log: log) { _ in
            try await eventually("delivered") { try store.pending(sink: route.sink, limit: 10, now: .distantFuture).isEmpty }
        }
        let request = try #require(try receiver.received().requests.last)
        #expect(request.path == "/bot123456:SECRET-BOT-TOKEN/sendMessage")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(Set(body.keys) == ["chat_id", "text", "disable_web_page_preview"])
        #expect(body["chat_id"] as? String == "-1001234567890")
        let text = try #require(body["text"] as? String)
        #expect(text.hasPrefix("🔴 Камера жұмыс істемейді: Школа №7 — главный вход"))
        #expect(text.contains("камера отклонила соединение"))
        #expect(log.text.contains("HTTP 502"), "the failed attempt was logged")
        #expect(!log.text.contains("SECRET-BOT-TOKEN"), "the token never reaches the log: \(log.text)")
        #expect(log.text.contains("/bot***/sendMessage"))
    }

    @Test func slackRoute_postsTextOnly() async throws {
        let receiver = try WebhookReceiver()
        var route = AlertRoute(name: "mm", url: "http://127.0.0.1:\(receiver.port)/hooks/abc", format: .slack)
        route.language = .en
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        try store.append([OutboxItem(event: Events.camera("cam-1", .down, .up), sinks: [route.sink])])
        try await Self.running(Self.settings([route]), store: store) { _ in
            try await eventually("delivered") { try store.pending(sink: route.sink, limit: 10, now: .distantFuture).isEmpty }
        }
        let request = try #require(try receiver.received().requests.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(Set(body.keys) == ["text"])
        #expect((body["text"] as? String)?.hasPrefix("🟢 Camera back up: Школа №7 — главный вход") == true)
    }
}

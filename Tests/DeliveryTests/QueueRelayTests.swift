import AMQP
import AMQPTestSupport
import CamProbeConfig
import CamProbeCore
import Delivery
import Foundation
import Testing
@testable import Store

/// The queue relay against a real RabbitMQ node (a private one per test that
/// kills it), from a real SQLite outbox: order, confirms, broker crashes,
/// refused credentials and TLS.
@Suite(.serialized)
struct QueueRelayTests {
    static func queueSettings(_ server: RabbitMQServer, exchange: String, queue: String, tls: Bool = false) -> QueueSettings {
        var settings = QueueSettings(
            url: "", scheme: tls ? .amqps : .amqp, host: tls ? "localhost" : "127.0.0.1",
            port: tls ? (server.tlsPort ?? 0) : server.port, virtualHost: "/", credentials: "rabbitmq",
            exchange: exchange, queue: queue, caFile: server.certificates?.caCertificate, heartbeat: 10,
            confirmTimeout: 5, connectTimeout: 3, batch: 100)
        settings.url = settings.endpoint
        return settings
    }

    /// Runs the relay while `body` runs, then stops it.
    static func running(
        _ settings: QueueSettings, password: String, user: String = "camprobe", store: StateStore, log: CapturedLog,
        _ body: (QueueRelay) async throws -> Void
    ) async throws {
        let relay = QueueRelay(
            queue: settings, credentials: Credentials(username: user, password: password), store: store,
            logger: log.logger("queue"), backoff: Backoff(base: 0.5, cap: 4))
        try await whileRunning(relay, body)
    }

    /// Writes a transition of `camera` and its event, as the monitor does, in one transaction.
    static func transition(_ store: StateStore, _ camera: String, _ from: MonitorState, _ to: MonitorState, at time: Date) throws {
        let update = CameraUpdate(
            camera: camera, state: to, since: time, reasons: [], lastProbe: time,
            transition: StateTransition(camera: camera, from: from, to: to, at: time, reasons: []))
        let event = Events.camera(camera, from, to, at: time)
        try store.record([update], events: [OutboxItem(event: event, sinks: [EventRouting.queueSink])])
    }

    static func drain(_ server: RabbitMQServer, queue: String, exchange: String) throws -> [AMQPMessage] {
        let consumer = try AMQPConsumer(settings: server.settings(exchange: exchange, queue: queue))
        defer { consumer.close() }
        return try consumer.drain()
    }

    @Test func scriptedRun_everyTransitionArrivesInOrderPerCameraMatchingTheHistory() async throws {
        let server = try RabbitMQServer.shared()
        let name = "run-\(UUID().uuidString.prefix(6))"
        let settings = Self.queueSettings(server, exchange: name, queue: name)
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        let cameras = (1...12).map { "cam-\($0)" }
        let states: [MonitorState] = [.unknown, .up, .down, .up, .degraded, .up, .down]
        let log = CapturedLog()
        let start = Date(timeIntervalSince1970: 1_756_684_800)
        try await Self.running(settings, password: server.password, store: store, log: log) { relay in
            // Written while the relay publishes, interleaved across cameras.
            for step in 1..<states.count {
                for (index, camera) in cameras.enumerated() {
                    try Self.transition(store, camera, states[step - 1], states[step], at: start.addingTimeInterval(Double(step * 60 + index)))
                }
                relay.wake()
            }
            try await eventually(timeout: 60, "the outbox drained") { try store.pending(sink: "amqp", limit: 1).isEmpty }
        }
        let messages = try Self.drain(server, queue: name, exchange: name)
        #expect(messages.count == cameras.count * (states.count - 1))
        #expect(Set(messages.map(\.messageID)).count == messages.count, "no duplicates without failures")
        let decoder = CloudEvent.decoder()
        var received: [String: [(MonitorState, MonitorState)]] = [:]
        for message in messages {
            let event = try decoder.decode(CloudEvent.self, from: Data(message.body))
            guard case let .camera(data) = event.data else { continue }
            received[event.subject, default: []].append((data.from, data.to))
            #expect(message.routingKey == "абайская_область.семей.школа_7.\(event.subject).\(data.to.rawValue)")
            #expect(message.type == "kz.camprobe.camera.state.v1")
            #expect(message.deliveryMode == 2, "persistent")
        }
        for camera in cameras {
            let history = try store.history(camera: camera, limit: 100).sorted { $0.at < $1.at }
            let expected = history.map { ($0.from, $0.to) }
            #expect(received[camera]?.map(\.0) == expected.map(\.0), "\(camera)")
            #expect(received[camera]?.map(\.1) == expected.map(\.1), "\(camera)")
        }
        #expect(log.text.contains("connected to the broker"))
    }

    @Test func brokerKilledAndRestartedMidRun_losesNothing() async throws {
        let server = try RabbitMQServer()
        try server.start()
        defer { try? server.stop() }
        let name = "crash-\(UUID().uuidString.prefix(6))"
        let settings = Self.queueSettings(server, exchange: name, queue: name)
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        let log = CapturedLog()
        var written: [String] = []
        try await Self.running(settings, password: server.password, store: store, log: log) { relay in
            var states: [String: MonitorState] = [:]
            func write(_ count: Int) throws {
                for index in 0..<count {
                    let camera = "cam-\(index % 10)"
                    let from = states[camera] ?? .unknown
                    let to: MonitorState = from == .up ? .down : .up
                    states[camera] = to
                    try Self.transition(store, camera, from, to, at: Date())
                    relay.wake()
                }
            }
            try write(300)
            try await eventually("some published") { try store.outboxStats(limit: 0).pending["amqp", default: 0] < 300 }
            try server.kill()
            try write(300)  // while the broker is dead: the backlog grows
            try await eventually("the relay noticed") { log.text.contains("cannot publish to the broker") }
            try server.restart()
            try write(300)
            try await eventually(timeout: 90, "the backlog drained after the restart") {
                try store.outboxStats(limit: 0).pending["amqp", default: 0] == 0
            }
            written = try store.events(limit: 1000).events.map(\.event.id)
        }
        #expect(written.count == 900)
        let messages = try Self.drain(server, queue: name, exchange: name)
        let ids = messages.map(\.messageID)
        let missing = Set(written).subtracting(ids)
        let duplicates = ids.count - Set(ids).count
        print("broker SIGKILL: \(written.count) events written, \(ids.count) delivered, \(missing.count) lost, \(duplicates) duplicates")
        #expect(missing.isEmpty, "lost: \(missing.count)")
        // Order per camera holds for first deliveries.
        var firstSeen: [String] = []
        var seen: Set<String> = []
        for id in ids where seen.insert(id).inserted { firstSeen.append(id) }
        #expect(firstSeen == written, "first deliveries follow the outbox order")
        #expect(log.text.contains("connected to the broker"))
    }

    @Test func wrongCredentials_oneClearLine_backlogKeptUntilFixed() async throws {
        let server = try RabbitMQServer.shared()
        let name = "auth-\(UUID().uuidString.prefix(6))"
        let settings = Self.queueSettings(server, exchange: name, queue: name)
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        let log = CapturedLog()
        for index in 0..<5 { try Self.transition(store, "cam-\(index)", .unknown, .down, at: Date()) }
        try await Self.running(settings, password: "wrong-PASSWORD-123", store: store, log: log) { relay in
            try await eventually("the failure is logged") { log.text.contains("cannot publish to the broker") }
            for index in 5..<10 { try Self.transition(store, "cam-\(index)", .unknown, .down, at: Date()) }
            relay.wake()
            try await Task.sleep(for: .milliseconds(500))
        }
        let failures = log.text.split(separator: "\n").filter { $0.contains("cannot publish to the broker") }
        print("wrong credentials: \(failures.first ?? "")")
        #expect(failures.count == 1, "one line, not one per attempt: \(failures)")
        let line = String(failures.first ?? "")
        #expect(line.contains("amqp://127.0.0.1:\(server.port)/"), "\(line)")
        #expect(line.lowercased().contains("refused") || line.lowercased().contains("auth") || line.lowercased().contains("login"), "\(line)")
        #expect(!log.text.contains("wrong-PASSWORD-123"))
        #expect(try store.outboxStats(limit: 0).pending["amqp"] == 10, "kept, and growing")
        // Fixed: the right password delivers the whole backlog.
        try await Self.running(settings, password: server.password, store: store, log: log) { _ in
            try await eventually("delivered") { try store.outboxStats(limit: 0).pending["amqp", default: 0] == 0 }
        }
        #expect(try Self.drain(server, queue: name, exchange: name).count == 10)
    }

    @Test func tlsWithAnUntrustedCertificate_failsClearly_thenTheRightCADelivers() async throws {
        let server = try RabbitMQServer.shared()
        let certificates = try #require(server.certificates)
        let name = "tls-\(UUID().uuidString.prefix(6))"
        var settings = Self.queueSettings(server, exchange: name, queue: name, tls: true)
        settings.caFile = certificates.otherCACertificate
        let directory = try StateDirectory()
        let store = try StateStore(directory: directory.path)
        let log = CapturedLog()
        for index in 0..<3 { try Self.transition(store, "cam-\(index)", .unknown, .down, at: Date()) }
        try await Self.running(settings, password: server.password, store: store, log: log) { _ in
            try await eventually("the failure is logged") { log.text.contains("cannot publish to the broker") }
        }
        let line = log.text.split(separator: "\n").first { $0.contains("cannot publish to the broker") }.map(String.init) ?? ""
        print("untrusted TLS: \(line)")
        #expect(line.contains("amqps://localhost:\(server.tlsPort ?? 0)/"), "\(line)")
        #expect(line.lowercased().contains("tls") || line.lowercased().contains("certificate"), "\(line)")
        #expect(try store.outboxStats(limit: 0).pending["amqp"] == 3)
        settings.caFile = certificates.caCertificate
        try await Self.running(settings, password: server.password, store: store, log: log) { _ in
            try await eventually("delivered over TLS") { try store.outboxStats(limit: 0).pending["amqp", default: 0] == 0 }
        }
        #expect(try Self.drain(server, queue: name, exchange: name).count == 3)
    }
}

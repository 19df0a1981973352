import AMQP
import AMQPTestSupport
import Foundation
import Testing

/// Against a real RabbitMQ node (one per test process, started on first use; the suite fails
/// if it cannot start). Serialized: the kill test restarts the shared node.
@Suite(.serialized)
struct AMQPBrokerTests {
    /// Unique names per test, so tests never see each other's messages.
    static func names(_ test: String) -> (exchange: String, queue: String) {
        let suffix = UUID().uuidString.prefix(8)
        return ("camprobe.\(test).\(suffix)", "camprobe.\(test).\(suffix).q")
    }

    static func messages(_ count: Int, prefix: String = "m", bodySize: Int = 64) -> [AMQPMessage] {
        let stamp = Date(timeIntervalSince1970: 1_760_000_000)
        return (0..<count).map { i in
            AMQPMessage(
                routingKey: "camera.\(i % 7).status", body: Array(repeating: UInt8(i % 251), count: bodySize),
                messageID: "\(prefix)-\(i)", type: "camprobe.camera.status", timestamp: stamp)
        }
    }

    @Test func publish1000_withDeclaredQueue_allConfirmedAndConsumedInOrder() throws {
        let broker = try RabbitMQServer.shared()
        let (exchange, queue) = Self.names("publish1000")
        let settings = broker.settings(exchange: exchange, queue: queue)
        let publisher = try AMQPPublisher(settings: settings)
        defer { publisher.close() }
        let sent = Self.messages(1000)

        var confirmed = 0
        for start in stride(from: 0, to: sent.count, by: 250) {
            confirmed += try publisher.publish(Array(sent[start..<start + 250]), timeout: 10)
        }

        #expect(confirmed == 1000)
        let consumer = try AMQPConsumer(settings: settings)
        defer { consumer.close() }
        let received = try consumer.drain()
        #expect(received.count == 1000)
        #expect(received.map(\.messageID) == sent.map(\.messageID))
        #expect(received.map(\.routingKey) == sent.map(\.routingKey))
        #expect(received.map(\.body) == sent.map(\.body))
        #expect(received.allSatisfy { $0.deliveryMode == 2 })
        #expect(received.allSatisfy { $0.contentType == "application/cloudevents+json" })
        #expect(received.allSatisfy { $0.type == "camprobe.camera.status" })
        #expect(received.allSatisfy { $0.timestamp == Date(timeIntervalSince1970: 1_760_000_000) })
    }

    @Test func brokerKilled_publishFailsWithConnectionError_confirmedMessagesSurviveRestart() throws {
        let broker = try RabbitMQServer.shared()
        let (exchange, queue) = Self.names("kill")
        let settings = broker.settings(exchange: exchange, queue: queue)
        let publisher = try AMQPPublisher(settings: settings)
        let before = Self.messages(200, prefix: "before")
        #expect(try publisher.publish(before) == 200)

        try broker.kill()
        let error = #expect(throws: AMQPError.self) {
            // The first write may still land in the socket buffer; reading the confirm cannot.
            try publisher.publish(Self.messages(5, prefix: "after"), timeout: 5)
        }
        #expect(error?.code == .connectionClosed)
        #expect(error.map { !$0.description.contains("\n") } == true)
        #expect(error?.description.hasPrefix(broker.endpoint) == true)
        #expect(error?.confirmed == 0)
        #expect(!publisher.isOpen)
        // A dead publisher keeps failing fast with its first error.
        #expect(throws: AMQPError.self) { try publisher.idle(for: 0.1) }
        publisher.close()

        try broker.restart()
        let again = try AMQPPublisher(settings: settings)
        defer { again.close() }
        #expect(try again.publish(Self.messages(1, prefix: "restarted")) == 1)
        let consumer = try AMQPConsumer(settings: settings)
        defer { consumer.close() }
        let ids = try consumer.drain().map(\.messageID)
        #expect(ids == before.map(\.messageID) + ["restarted-0"])
    }

    @Test func wrongPassword_throwsAuthenticationFailed_namingEndpointWithoutPassword() throws {
        let broker = try RabbitMQServer.shared()
        let wrong = "not-the-Secret-123"
        let error = #expect(throws: AMQPError.self) {
            _ = try AMQPPublisher(settings: broker.settings(exchange: "camprobe.auth", password: wrong))
        }
        #expect(error?.code == .authenticationFailed)
        let text = error?.description ?? ""
        #expect(text.hasPrefix("\(broker.endpoint): authentication failed for user \(broker.user)"))
        #expect(!text.contains(wrong))
        #expect(!text.contains(broker.password))
        #expect(!text.contains("\n"))
    }

    @Test func tls_withRightCA_connectsAndPublishes() throws {
        let broker = try RabbitMQServer.shared()
        let (exchange, queue) = Self.names("tls")
        let settings = try broker.tlsSettings(exchange: exchange, queue: queue)
        let publisher = try AMQPPublisher(settings: settings)
        defer { publisher.close() }

        #expect(try publisher.publish(Self.messages(10)) == 10)
        let consumer = try AMQPConsumer(settings: settings)
        defer { consumer.close() }
        #expect(try consumer.drain().map(\.messageID) == Self.messages(10).map(\.messageID))
    }

    @Test func tls_withOtherCA_throwsTLSFailed() throws {
        let broker = try RabbitMQServer.shared()
        let otherCA = try #require(broker.certificates?.otherCACertificate)
        let settings = try broker.tlsSettings(exchange: "camprobe.tls.other", caFile: otherCA)

        let error = #expect(throws: AMQPError.self) { _ = try AMQPPublisher(settings: settings) }

        #expect(error?.code == .tlsFailed)
        #expect(error?.description == "amqps://localhost:\(broker.tlsPort!)/: TLS handshake failed: certificate verify failed (not signed by a CA in \(otherCA))")
    }

    /// librabbitmq 0.11 matches the host only against DNS names (SAN, else CN), never IP SANs.
    @Test func tls_byIPAddress_needsHostnameVerificationOff() throws {
        let broker = try RabbitMQServer.shared()
        let (exchange, queue) = Self.names("tlsip")
        var settings = try broker.tlsSettings(exchange: exchange, queue: queue)
        settings.host = "127.0.0.1"

        let error = #expect(throws: AMQPError.self) { _ = try AMQPPublisher(settings: settings) }
        #expect(error?.code == .tlsFailed)
        #expect(error?.reason == "TLS handshake failed: the broker's certificate does not name 127.0.0.1")

        settings.verifyHostname = false
        let publisher = try AMQPPublisher(settings: settings)
        defer { publisher.close() }
        #expect(try publisher.publish(Self.messages(1)) == 1)
        #expect(try broker.drain(queue: queue, exchange: exchange).count == 1)
    }

    @Test func tls_onPlainPort_throwsTLSFailed() throws {
        let broker = try RabbitMQServer.shared()
        var settings = try broker.tlsSettings(exchange: "camprobe.tls.plain")
        settings.port = broker.port

        let error = #expect(throws: AMQPError.self) { _ = try AMQPPublisher(settings: settings) }

        #expect(error?.code == .tlsFailed)
    }

    @Test func idle_withShortHeartbeat_keepsConnectionAlive() throws {
        let broker = try RabbitMQServer.shared()
        let (exchange, _) = Self.names("idle")
        var settings = broker.settings(exchange: exchange)
        settings.heartbeat = 1
        let publisher = try AMQPPublisher(settings: settings)
        defer { publisher.close() }

        // Three heartbeat intervals: without our heartbeats the broker would drop us after two.
        try publisher.idle(for: 3.5)

        #expect(try publisher.publish(Self.messages(3)) == 3)
    }

    @Test func idle_whenBrokerHangs_throwsHeartbeatTimeout() throws {
        let broker = try RabbitMQServer.shared()
        var settings = broker.settings(exchange: Self.names("hang").exchange)
        settings.heartbeat = 1
        let publisher = try AMQPPublisher(settings: settings)
        defer { publisher.close() }
        try broker.pause()
        defer { try? broker.resume() }
        let started = ContinuousClock.now

        // librabbitmq gives up after two heartbeat intervals without a frame.
        let error = #expect(throws: AMQPError.self) { try publisher.idle(for: 10) }

        #expect(error?.code == .heartbeatTimeout)
        #expect(ContinuousClock.now - started < .seconds(8))  // generous: a shared machine
    }

    @Test func publish_whenBrokerHangs_throwsConfirmTimeout_andStaysUsable() throws {
        let broker = try RabbitMQServer.shared()
        let (exchange, queue) = Self.names("noconfirm")
        let publisher = try AMQPPublisher(settings: broker.settings(exchange: exchange, queue: queue))
        defer { publisher.close() }
        #expect(try publisher.publish(Self.messages(3, prefix: "first")) == 3)
        try broker.pause()
        let started = ContinuousClock.now

        let error = #expect(throws: AMQPError.self) { try publisher.publish(Self.messages(5, prefix: "hung"), timeout: 1) }

        #expect(ContinuousClock.now - started < .seconds(5))  // generous: a shared machine
        try broker.resume()
        #expect(error?.code == .confirmTimeout)
        #expect(error?.confirmed == 0)
        #expect(error?.description.hasSuffix("0 of 5 messages confirmed within 1.0s") == true)
        // Late confirms of the timed-out batch are discarded; the next batch is counted alone.
        #expect(try publisher.publish(Self.messages(2, prefix: "later")) == 2)
    }

    @Test func close_isIdempotent_andLaterCallsThrowConnectionClosed() throws {
        let broker = try RabbitMQServer.shared()
        let publisher = try AMQPPublisher(settings: broker.settings(exchange: Self.names("close").exchange))
        publisher.close()
        publisher.close()

        let error = #expect(throws: AMQPError.self) { try publisher.publish(Self.messages(1)) }

        #expect(error?.code == .connectionClosed)
    }

    @Test func closedPort_throwsConnectFailed_withinConnectTimeout() throws {
        let port = try RabbitMQServer.freePort()
        let settings = AMQPSettings(host: "127.0.0.1", port: port, user: "u", password: "p",
                                    exchange: "x", connectTimeout: 2)
        let started = ContinuousClock.now

        let error = #expect(throws: AMQPError.self) { _ = try AMQPPublisher(settings: settings) }

        #expect(ContinuousClock.now - started < .seconds(6))  // generous: a shared machine
        #expect(error?.code == .connectFailed)
        #expect(error?.description == "amqp://127.0.0.1:\(port)/: connect failed: refused or unreachable (no listener on port \(port)?)")
    }
}

import AMQP
import AMQPTestSupport
import Foundation
import Testing

/// Sustained publish rate with confirms into a durable queue (persistent messages, so the
/// broker confirms after writing them to its message store). Run by `scripts/bench-amqp`;
/// skipped in ordinary test runs.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CAMPROBE_AMQP_BENCH"] == "1"))
struct AMQPPublishBenchmark {
    @Test(arguments: [1, 10, 100, 500, 1000])
    func publishRate_10000x1KB(batchSize: Int) throws {
        let broker = try RabbitMQServer.shared()
        let suffix = UUID().uuidString.prefix(8)
        let publisher = try AMQPPublisher(
            settings: broker.settings(exchange: "camprobe.bench.\(suffix)", queue: "camprobe.bench.\(suffix).q"))
        defer { publisher.close() }
        let total = 10_000
        let body = Array(repeating: UInt8(ascii: "x"), count: 1024)
        let messages = (0..<total).map { i in
            AMQPMessage(routingKey: "camera.\(i % 100).status", body: body, messageID: "bench-\(i)",
                        type: "camprobe.camera.status", timestamp: Date())
        }

        let started = ContinuousClock.now
        var confirmed = 0
        for start in stride(from: 0, to: total, by: batchSize) {
            confirmed += try publisher.publish(Array(messages[start..<min(start + batchSize, total)]), timeout: 30)
        }
        let elapsed = ContinuousClock.now - started

        #expect(confirmed == total)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "bench-amqp: batch %4d: %d x 1 KiB confirmed in %.2f s = %.0f msg/s",
                     batchSize, total, seconds, Double(total) / seconds))
    }
}

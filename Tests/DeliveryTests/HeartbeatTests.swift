import AMQP
import AMQPTestSupport
import CamProbeCore
import Foundation
import Testing

/// Two regions' daemons publishing into one broker: their heartbeats arrive,
/// every `heartbeat_interval`, each telling which prober it is.
@Suite(.serialized)
struct HeartbeatTests {
    /// A daemon config of `instance` with one camera, publishing to `exchange`.
    static func writeConfig(
        _ dir: String, instance: String, server: RabbitMQServer, exchange: String, queue: String
    ) throws {
        try "rabbitmq:\n  username: \(server.user)\n  password: \(server.password)\n"
            .write(toFile: dir + "/secrets.yaml", atomically: true, encoding: .utf8)
        chmod(dir + "/secrets.yaml", 0o600)
        try """
            cameras:
              - id: \(instance)-cam
                region: \(instance)
                district: D
                school: S
                url: rtsp://127.0.0.1:9/none
            """.write(toFile: dir + "/inventory.yaml", atomically: true, encoding: .utf8)
        try """
            instance: \(instance)
            inventory: [inventory.yaml]
            secrets: secrets.yaml
            daemon:
              state_dir: \(dir)
              status_socket: \(dir)/status.sock
            events:
              heartbeat_interval: 10
            queue:
              url: amqp://127.0.0.1:\(server.port)/
              credentials: rabbitmq
              exchange: \(exchange)
              queue: \(queue)
            """.write(toFile: dir + "/camprobe.yaml", atomically: true, encoding: .utf8)
    }

    @Test func twoRegionsIntoOneBroker_heartbeatsAreToldApart() async throws {
        let server = try RabbitMQServer.shared()
        let name = "heartbeat-\(UUID().uuidString.prefix(6))"
        let regions = ["zhambyl", "abai"]
        var directories: [StateDirectory] = []
        var daemons: [Process] = []
        defer {
            for daemon in daemons where daemon.isRunning {
                daemon.terminate()
                daemon.waitUntilExit()
            }
        }
        for region in regions {
            let directory = try StateDirectory()
            directories.append(directory)
            try Self.writeConfig(directory.path, instance: region, server: server, exchange: name, queue: name)
            let log = directory.path + "/daemon.log"
            FileManager.default.createFile(atPath: log, contents: nil)
            daemons.append(try DaemonKillTests.start(config: directory.path + "/camprobe.yaml", log: log))
        }
        let consumer = try AMQPConsumer(settings: server.settings(exchange: name, queue: name))
        defer { consumer.close() }
        var beats: [String: [(event: CloudEvent, key: String)]] = [:]
        try await eventually(timeout: 90, "two heartbeats from each region") {
            for message in try consumer.drain() {
                let event = try CloudEvent.decoder().decode(CloudEvent.self, from: Data(message.body))
                guard event.type == .proberHeartbeat else { continue }
                beats[event.subject, default: []].append((event, message.routingKey))
            }
            return regions.allSatisfy { (beats[$0]?.count ?? 0) >= 2 }
        }
        #expect(Set(beats.keys) == Set(regions), "only these two probers beat")
        for region in regions {
            let mine = try #require(beats[region])
            for (event, key) in mine {
                #expect(event.source == "urn:camprobe:\(region)")
                #expect(key == "_._._.prober_\(region).heartbeat")
                guard case let .heartbeat(data) = event.data else {
                    Issue.record("\(event.type) carries no heartbeat")
                    continue
                }
                #expect(data.instance == region)
                #expect(data.version == CamProbeVersion.current)
                #expect(data.cameras == 1)
                #expect(data.intervalSeconds == 10)
                #expect(data.counts.values.reduce(0, +) == 1)
            }
            // Every interval: consecutive heartbeats of one prober ~10 s apart.
            let gap = mine[1].event.time.timeIntervalSince(mine[0].event.time)
            #expect(gap >= 9 && gap <= 30, "heartbeats \(gap) s apart")
        }
    }
}

import CamProbeCore
import Foundation
import WebhookTestSupport

/// `scripts/onvif-recorder.py` as a test fixture: a Profile G recorder on 127.0.0.1.
final class ONVIFRecorder {
    struct Channel: Encodable {
        var days: Double
        /// Holes as (from, to) days back.
        var gaps: [[Double]] = []
    }

    struct Config: Encodable {
        var username = "admin"
        var password = "p&ss<1>"
        var clock_offset: Double = 0
        var latest_ago: Double = 60
        var channels: [Channel]
        var mode = "normal"
    }

    struct Stats: Decodable {
        let requests: [String: Int]
        let auth_failures: Int
    }

    let config: Config
    private let fixture: FixtureProcess
    var port: Int { fixture.port }

    init(_ config: Config) throws {
        self.config = config
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        fixture = try FixtureProcess(script: "onvif-recorder.py", arguments: ["--config", json], name: "ONVIF recorder")
    }

    var credentials: Credentials { Credentials(username: config.username, password: config.password) }

    func recorder(method: ArchiveMethod = .onvif) -> Recorder {
        Recorder(
            id: "dvr-onvif", region: "R", district: "D", school: School(name: "S"), host: "127.0.0.1", vendor: .hikvision,
            channels: config.channels.count, profile: "analog-dvr", archive: ArchiveSettings(method: method, onvifPort: port))
    }

    /// Stops it, so its port refuses connections.
    func stopForTest() { fixture.stop() }

    func stats() throws -> Stats {
        try JSONDecoder().decode(Stats.self, from: FixtureProcess.curl(["http://127.0.0.1:\(port)/_stats"]))
    }
}

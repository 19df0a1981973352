import CamProbeCore
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
@testable import StatusAPI
import Testing

/// `/metrics` over real TCP, and the series ``ProbeMetrics`` keeps.
struct MetricsTests {
    @Test func metricsEndpoint_onPort0_servesTheNamedSeriesAndProcessFigures() async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = ProbeMetrics(registry: registry)
        for camera in Fixtures.cameras { metrics.update(camera) }
        metrics.recordProbe(Fixtures.report)
        metrics.recordProbe(outcome: "timeout.handshake", duration: .seconds(5))
        metrics.setSchedulerLag(seconds: 0.25)

        let curl = try await Self.serving(registry, metrics) { port in try await Curl.run(["http://127.0.0.1:\(port)/metrics"]) }

        #expect(curl.status == 200)
        let lines = Set(curl.body.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"camprobe_camera_up{camera="taraz5-cam01",school="КГУ «Школа-лицей №5»",region="Жамбылская область"} 1.0"#))
        #expect(lines.contains(#"camprobe_camera_up{camera="semey12-cam02",school="КГУ «Общеобразовательная средняя школа №12» города Семей",region="Абай облысы"} 1.0"#))
        #expect(lines.contains(#"camprobe_camera_up{camera="semey12-cam01",school="КГУ «Общеобразовательная средняя школа №12» города Семей",region="Абай облысы"} 0.0"#))
        #expect(!curl.body.contains(#"camprobe_camera_up{camera="taraz5-cam02""#), "no up series while unknown")
        #expect(lines.contains(#"camprobe_camera_state{camera="semey12-cam01"} 3.0"#))
        #expect(lines.contains(#"camprobe_camera_state{camera="taraz5-cam02"} 0.0"#))
        #expect(lines.contains(#"camprobe_camera_fps{camera="semey12-cam02"} 12.5"#))
        #expect(lines.contains(#"camprobe_camera_width{camera="taraz5-cam01"} 2560.0"#))
        #expect(lines.contains(#"camprobe_camera_height{camera="taraz5-cam01"} 1440.0"#))
        #expect(!curl.body.contains(#"camprobe_camera_fps{camera="beskaragai-dvr-ch2"}"#), "nothing measured, no series")
        #expect(lines.contains(#"camprobe_cameras{region="Абай облысы",state="down"} 3.0"#))
        #expect(lines.contains(#"camprobe_probes_total{outcome="ok"} 1"#))
        #expect(lines.contains(#"camprobe_probes_total{outcome="timeout.handshake"} 1"#))
        #expect(lines.contains(#"camprobe_probe_duration_seconds_count 2"#))
        #expect(lines.contains(#"camprobe_probe_duration_seconds_bucket{le="2.5"} 1"#))
        #expect(lines.contains("camprobe_scheduler_lag_seconds 0.25"))
        #expect(lines.contains("# TYPE process_cpu_seconds_total counter"))
        let values = Self.values(curl.body)
        #expect(try #require(values["process_resident_memory_bytes"]) > 1_000_000)
        #expect(try #require(values["process_open_fds"]) >= 3)
        #expect(try #require(values["process_cpu_seconds_total"]) > 0)
        let start = try #require(values["process_start_time_seconds"])
        #expect(abs(start - Date().timeIntervalSince1970) < 3600)
    }

    /// A region-sized exposition (megabytes, sent in pieces) arrives whole,
    /// scrape after scrape (the second built at the first one's size).
    @Test func regionSizedScrape_overTCP_arrivesWholeEveryTime() async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = ProbeMetrics(registry: registry)
        for index in 0..<5_000 {
            metrics.update(CameraStatus(
                id: "cam-\(index)", region: "Жамбыл облысы", district: "аудан \(index % 10)",
                school: "№\(index / 20) мектеп", host: "10.0.\(index / 256).\(index % 256)",
                state: index % 7 == 0 ? .down : .up, codec: "h264", width: 1920, height: 1080, frameRate: 25))
        }
        let bodies = try await Self.serving(registry, metrics) { port in
            var bodies: [String] = []
            for _ in 0..<2 { bodies.append(try await Curl.run(["http://127.0.0.1:\(port)/metrics"]).body) }
            return bodies
        }

        for body in bodies {
            #expect(body.utf8.count > 8 * MetricsServer.pieceBytes)
            let lines = body.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("camprobe_camera_state{") }.count == 5_000)
            #expect(lines.filter { $0.hasPrefix("camprobe_camera_width{") }.count == 5_000)
            #expect(lines.contains(#"camprobe_camera_state{camera="cam-4999"} 1.0"#))
            #expect(lines.contains(#"camprobe_cameras{region="Жамбыл облысы",state="down"} 715.0"#))
            #expect(body.hasSuffix("\n") && lines.last?.hasPrefix("process_") == true, "\(lines.last ?? "")")
        }
    }

    @Test func cameraSeries_followStateChangesRelabelsAndRemovals() {
        let registry = PrometheusCollectorRegistry()
        let metrics = ProbeMetrics(registry: registry)
        var camera = Fixtures.cameras[4]  // taraz5-cam01, up
        metrics.update(camera)
        #expect(Self.text(registry, metrics).contains(#"camprobe_cameras{region="Жамбылская область",state="up"} 1.0"#))

        camera.state = .down
        camera.frameRate = nil
        metrics.update(camera)
        var text = Self.text(registry, metrics)
        #expect(text.contains(#"camprobe_camera_up{camera="taraz5-cam01",school="КГУ «Школа-лицей №5»",region="Жамбылская область"} 0.0"#))
        #expect(!text.contains("camprobe_camera_fps"))
        #expect(text.contains(#"camprobe_cameras{region="Жамбылская область",state="up"} 0.0"#))
        #expect(text.contains(#"camprobe_cameras{region="Жамбылская область",state="down"} 1.0"#))

        // A reload moved the camera to another school: the old label set goes.
        camera.school = "КГУ «Школа №7»"
        metrics.update(camera)
        text = Self.text(registry, metrics)
        #expect(!text.contains("Школа-лицей"))
        #expect(text.contains(#"school="КГУ «Школа №7»""#))

        metrics.retainCameras([])
        text = Self.text(registry, metrics)
        #expect(!text.contains("taraz5-cam01"))
        #expect(text.contains(#"camprobe_cameras{region="Жамбылская область",state="down"} 0.0"#))
    }

    @Test func labelValues_withQuotesAndBackslashes_areEscaped() {
        let registry = PrometheusCollectorRegistry()
        let metrics = ProbeMetrics(registry: registry)
        var camera = Fixtures.cameras[4]
        camera.school = #"КГУ "Школа \ 5""#
        metrics.update(camera)
        #expect(Self.text(registry, metrics).contains(#"school="КГУ \"Школа \\ 5\"""#))
    }

    /// A region's inventory: every camera's series made and updated in bounded time.
    @Test func twentyThousandCameras_updateInBoundedTime() {
        let registry = PrometheusCollectorRegistry()
        let metrics = ProbeMetrics(registry: registry)
        let cameras = (0..<20_000).map { index in
            CameraStatus(
                id: "cam-\(index)", region: "Жамбылская область", district: "район \(index % 10)",
                school: "Школа №\(index / 20)", host: "10.0.\(index / 256).\(index % 256)",
                state: index % 7 == 0 ? .down : .up, codec: "h264", width: 1920, height: 1080, frameRate: 25)
        }
        let clock = ContinuousClock()
        let created = clock.measure { for camera in cameras { metrics.update(camera) } }
        let updated = clock.measure { for camera in cameras { metrics.update(camera) } }
        var scrape: [UInt8] = []
        let scraped = clock.measure { scrape = MetricsServer.scrape(registry, [metrics]) }
        print("ProbeMetrics, 20,000 cameras: create \(created), update \(updated), scrape \(scraped) (\(scrape.count) bytes)")
        #expect(created < .seconds(15))
        #expect(updated < .seconds(5))
        #expect(scraped < .seconds(5))
        #expect(Self.text(registry, metrics).contains(#"camprobe_cameras{region="Жамбылская область",state="down"} 2858.0"#))
    }

    /// Runs a real `MetricsServer` on a loopback port of the kernel's choice for
    /// the time of `body`, then shuts it down.
    static func serving<T>(
        _ registry: PrometheusCollectorRegistry, _ metrics: ProbeMetrics, _ body: (Int) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = MetricsServer(
            address: MetricsAddress(host: "127.0.0.1", port: 0), registry: registry, collectors: [metrics],
            onListening: { continuation.yield($0) })
        let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test.metrics")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let result = try await body(port)
        await group.triggerGracefulShutdown()
        try await task.value
        return result
    }

    static func text(_ registry: PrometheusCollectorRegistry, _ metrics: ProbeMetrics) -> String {
        String(decoding: MetricsServer.scrape(registry, [metrics]), as: UTF8.self)
    }

    static func values(_ exposition: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }
}

struct MetricsAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464), ("localhost:0", "localhost", 0), ("[::1]:9464", "::1", 9464),
        ("0.0.0.0:80", "0.0.0.0", 80),
    ])
    func parse_valid(text: String, host: String, port: Int) throws {
        #expect(try MetricsAddress(parsing: text) == MetricsAddress(host: host, port: port))
    }

    @Test(arguments: [
        ("9464", "metrics address '9464': expected HOST:PORT, e.g. 127.0.0.1:9464"),
        (":9464", "metrics address ':9464': the host is missing (0.0.0.0 listens on every interface)"),
        ("127.0.0.1:http", "metrics address '127.0.0.1:http': the port is not a number from 0 to 65535"),
        ("127.0.0.1:70000", "metrics address '127.0.0.1:70000': the port is not a number from 0 to 65535"),
        ("::1:9464", "metrics address '::1:9464': an IPv6 address is written [ADDRESS]:PORT"),
    ])
    func parse_invalid_explains(text: String, message: String) {
        #expect(throws: MetricsAddressError.self) { try MetricsAddress(parsing: text) }
        do {
            _ = try MetricsAddress(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }
}

struct ProcessMetricsTests {
    /// proc(5): the command name is in parentheses and may hold spaces and parentheses.
    @Test func parse_statWithAwkwardCommandName() throws {
        let stat = "4242 (cam (probe) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 9 0 12345 "
            + "104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
        let system = "cpu  1 2 3\nbtime 1763700000\nprocesses 5\n"
        let metrics = try #require(ProcessMetrics.parse(
            stat: stat, systemStat: system, openFDs: 12, maxFDs: 1024, ticksPerSecond: 100, pageSize: 4096))
        #expect(metrics.cpuSeconds == 3.0)
        #expect(metrics.startTimeSeconds == 1_763_700_123.45)
        #expect(metrics.virtualMemoryBytes == 104_857_600)
        #expect(metrics.residentMemoryBytes == 2560 * 4096)
        var buffer: [UInt8] = []
        metrics.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains("process_cpu_seconds_total 3\n"))
        #expect(text.contains("process_open_fds 12\n"))
        #expect(text.contains("process_max_fds 1024\n"))
        #expect(text.contains("process_start_time_seconds 1763700123.45\n"))
    }
}

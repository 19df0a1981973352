import Foundation
import Testing

/// `camprobe report` and `GET /report` of a real daemon probing the real fleet,
/// read by headless Chromium: the rendered DOM must carry the database's
/// totals, intact Kazakh and Russian text, a snapshot in every row of a camera
/// that showed a picture, and the three charts. Screenshots are kept.
@Suite(.serialized)
struct ReportBrowserTests {
    let daemons = DaemonTests()
    static let pictureCameras = ["rep-1080p", "rep-d1", "rep-black"]
    static let deadCamera = "rep-closed"

    /// A daemon with four cameras in two schools, every one with a state, and a
    /// snapshot of each camera that sends a picture.
    func startDaemon() async throws -> DaemonTests.Daemon {
        let fleet = try await TestFleet.shared()
        let dir = daemons.tempDir()
        var inventory = "cameras:\n"
        inventory += daemons.camera("rep-1080p", try fleet.url("h264_1080p25"))
        inventory += daemons.camera("rep-d1", try fleet.url("h264_d1"))
        inventory += daemons.camera("rep-black", try fleet.url("black"), school: "Школа №2 «Ақбота»")
        inventory += daemons.camera(Self.deadCamera, "rtsp://127.0.0.1:\(fleet.description.closedPort)/x", school: "Школа №2 «Ақбота»")
        try daemons.writeConfig(dir, inventory: inventory, extraDaemon: "snapshots: on")
        let daemon = try DaemonTests.Daemon(dir: dir)
        try await daemon.waitUntilServing()
        for id in Self.pictureCameras + [Self.deadCamera] {
            _ = try await daemon.waitFor(id, timeout: 60) { ($0["state"] as? String) != "unknown" }
        }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !Self.pictureCameras.allSatisfy({ FileManager.default.fileExists(atPath: snapshotPath(dir, $0)) }) {
            try await Task.sleep(for: .milliseconds(200))
        }
        return daemon
    }

    func snapshotPath(_ dir: URL, _ camera: String) -> String {
        dir.appendingPathComponent("snapshots/\(camera).latest.jpg").path
    }

    /// Camera states straight from the SQLite file (Debian's python3 sqlite3 module).
    func databaseStates(_ dir: URL) throws -> [String: String] {
        let script = "import sqlite3,sys,json;c=sqlite3.connect(sys.argv[1]);print(json.dumps(dict(c.execute('SELECT camera, state FROM camera_state'))))"
        let out = try ReportBrowser.run("/usr/bin/python3", ["-c", script, dir.appendingPathComponent("camprobe.sqlite").path])
        return try #require(try JSONSerialization.jsonObject(with: out) as? [String: String])
    }

    func report(_ daemon: DaemonTests.Daemon, _ arguments: [String]) throws -> URL {
        let ext = arguments.contains("csv") ? "csv" : (arguments.contains("json") ? "json" : "html")
        let file = daemon.dir.appendingPathComponent("report-\(UUID().uuidString.prefix(6)).\(ext)")
        _ = try ReportBrowser.run(CLITests.binary.path, ["report"] + arguments + ["--output", file.path])
        return file
    }

    /// `<td … data-class="NAME">N` of the totals row `row`.
    func total(_ dom: String, row: String, _ name: String) -> Int? {
        guard let start = dom.range(of: "<tr data-row=\"\(row)\">") else { return nil }
        let rest = dom[start.upperBound...]
        guard let cell = rest.range(of: "data-class=\"\(name)\">") else { return nil }
        return Int(rest[cell.upperBound...].prefix { $0.isNumber })
    }

    func expectTotals(_ dom: String, states: [String: String], sourceLocation: SourceLocation = #_sourceLocation) {
        let counts = Dictionary(grouping: states.values, by: { $0 }).mapValues(\.count)
        #expect(total(dom, row: "cameras", "total") == states.count, sourceLocation: sourceLocation)
        #expect(total(dom, row: "cameras", "compliant") == counts["up", default: 0], sourceLocation: sourceLocation)
        #expect(total(dom, row: "cameras", "non_compliant") == counts["degraded", default: 0], sourceLocation: sourceLocation)
        #expect(total(dom, row: "cameras", "not_working") == counts["down", default: 0], sourceLocation: sourceLocation)
        #expect(total(dom, row: "schools", "total") == 2, sourceLocation: sourceLocation)
        #expect(ReportBrowser.count("<tr class=\"camera\"", in: dom) == states.count, sourceLocation: sourceLocation)
        #expect(ReportBrowser.count("data-chart=\"", in: dom) == 3, sourceLocation: sourceLocation)
    }

    @Test func report_fileAndLivePage_renderInChromiumWithTheDatabasesTotalsAndSnapshots() async throws {
        let daemon = try await startDaemon()
        defer { _ = daemon.process.isRunning ? kill(daemon.process.processIdentifier, SIGTERM) : 0 }

        // The file, in Kazakh, then in Russian.
        let kk = try report(daemon, ["--config", daemon.config, "--language", "kk"])
        let states = try databaseStates(daemon.dir)
        let kkDOM = try ReportBrowser.dumpDOM(kk.absoluteString)
        expectTotals(kkDOM, states: states)
        #expect(kkDOM.contains("Мектептердің бейнебақылау жүйелерін тексеру"))
        #expect(kkDOM.contains("Школа №2 «Ақбота»") && kkDOM.contains("Аягөз ауданы"))
        #expect(kkDOM.contains("<html lang=\"kk\""))
        #expect(!kkDOM.contains("<script"))
        // Every camera that showed a picture has it inline; the dead one says it has none.
        #expect(ReportBrowser.count("src=\"data:image/jpeg;base64,", in: kkDOM) >= Self.pictureCameras.count)
        for id in Self.pictureCameras {
            let row = try #require(kkDOM.range(of: "data-camera=\"\(id)\""))
            let end = kkDOM[row.upperBound...].range(of: "</tr>")!.lowerBound
            #expect(kkDOM[row.upperBound..<end].contains("<img class=\"snapshot\""), "no snapshot in the row of \(id)")
        }
        let dead = try #require(kkDOM.range(of: "data-camera=\"\(Self.deadCamera)\""))
        #expect(kkDOM[dead.upperBound...].prefix(2000).contains("сурет жоқ"))
        #expect(try ReportBrowser.screenshot(kk.absoluteString, name: "report-file-kk.png") > 10_000)

        let ru = try report(daemon, ["--config", daemon.config, "--language", "ru", "--period", Self.thisMonth()])
        let ruDOM = try ReportBrowser.dumpDOM(ru.absoluteString)
        expectTotals(ruDOM, states: try databaseStates(daemon.dir))
        #expect(ruDOM.contains("Проверка систем видеонаблюдения школ") && ruDOM.contains("Правило классификации"))

        // The live page through a TCP bridge, as a proxy would serve it.
        let bridge = try await ReportBrowser.Bridge(socket: daemon.socket)
        let live = "http://127.0.0.1:\(bridge.port)/report?language=ru"
        let liveDOM = try ReportBrowser.dumpDOM(live)
        expectTotals(liveDOM, states: try databaseStates(daemon.dir))
        #expect(liveDOM.contains("Проверка систем видеонаблюдения школ"))
        for id in Self.pictureCameras {
            #expect(liveDOM.contains("src=\"v1/cameras/\(id.replacingOccurrences(of: "-", with: "%2D"))/snapshot.jpg\""), "no snapshot link for \(id)")
            let jpeg = daemon.dir.appendingPathComponent("live-\(id).jpg")
            _ = try ReportBrowser.run("/usr/bin/curl", ["-sf", "-o", jpeg.path, "http://127.0.0.1:\(bridge.port)/v1/cameras/\(id)/snapshot.jpg"])
            let decoded = try SnapshotProbeTests.referee(Array(try Data(contentsOf: jpeg)))
            #expect(decoded.width == 320 && decoded.codec == "mjpeg")
        }
        #expect(try ReportBrowser.screenshot(live, name: "report-live-ru.png") > 10_000)
        _ = try await daemon.stop()
    }

    @Test func report_csvJSONAndStateDir_agreeWithTheDatabase_andSnapshotsAreOwnerAndGroupOnly() async throws {
        let daemon = try await startDaemon()
        defer { _ = daemon.process.isRunning ? kill(daemon.process.processIdentifier, SIGTERM) : 0 }

        let csv = try Data(contentsOf: try report(daemon, ["--config", daemon.config, "--format", "csv"]))
        let states = try databaseStates(daemon.dir)
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF], "no UTF-8 byte-order mark")
        let lines = String(decoding: csv.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = lines[0].components(separatedBy: ";")
        #expect(header.first == "record" && header.contains("availability_percent"))
        let rows = lines.dropFirst().map { $0.components(separatedBy: ";") }
        #expect(rows.allSatisfy { $0.count == header.count })
        let cameraRows = rows.filter { $0[0] == "camera" }
        #expect(rows.filter { $0[0] == "school" }.count == 2)
        #expect(cameraRows.count == states.count)
        let stateColumn = try #require(header.firstIndex(of: "state")), idColumn = try #require(header.firstIndex(of: "camera"))
        let csvStates = Dictionary(uniqueKeysWithValues: cameraRows.map { ($0[idColumn], $0[stateColumn]) })
        #expect(csvStates == states)
        #expect(rows.contains { $0.contains("Школа №2 «Ақбота»") })

        // The state directory alone (the inventory the daemon left there), as JSON.
        let json = try Data(contentsOf: try report(daemon, ["--state-dir", daemon.dir.path, "--format", "json"]))
        let document = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let totals = try #require((document["totals"] as? [String: Any])?["cameras"] as? [String: Any])
        #expect(totals["total"] as? Int == states.count)
        #expect(totals["not_working"] as? Int == states.values.filter { $0 == "down" }.count)

        // Snapshots: owner and group only, and never more than two per camera.
        let snapshots = daemon.dir.appendingPathComponent("snapshots").path
        #expect(try Self.mode(snapshots) == 0o750)
        let files = try FileManager.default.contentsOfDirectory(atPath: snapshots)
        #expect(files.count <= 2 * states.count && files.count >= Self.pictureCameras.count)
        for file in files { #expect(try Self.mode(snapshots + "/" + file) == 0o640, "\(file)") }
        #expect(try Self.mode(daemon.dir.appendingPathComponent("report-inventory.json").path) == 0o640)
        _ = try await daemon.stop()
    }

    static func mode(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FleetError("stat \(path) failed") }
        return Int(info.st_mode & 0o777)
    }

    static func thisMonth() -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
        return String(format: "%04d-%02d", c.year ?? 0, c.month ?? 0)
    }
}

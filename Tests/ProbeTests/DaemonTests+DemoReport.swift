import Foundation
import Testing

/// The demo region as `scripts/demo` runs it (its own fleet, every camera on a
/// loopback address of its own; the inventory, profiles and daemon settings of
/// `scripts/demo-config --daemon`) under a real daemon: `camprobe report` as
/// HTML (read by Chromium), CSV and JSON counts, per district and state, exactly
/// what `camprobe status summary` counts; a file's picture budget goes to the
/// evidence first.
extension DaemonTests {
    static let demoRegion = "Абайская область"

    @Test func demoRegion_reportAsHTMLCSVAndJSON_countsWhatStatusSummaryCounts() async throws {
        let fleet = try TestFleet(scale: 0, ownAddresses: true)
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let configDemo = TestFleet.repositoryRoot.appendingPathComponent("scripts/demo-config").path
        _ = try ReportBrowser.run(configDemo, [dir.path, fleet.line, "--daemon", dir.path])
        let daemon = try Daemon(dir: dir)
        defer { _ = daemon.process.isRunning ? kill(daemon.process.processIdentifier, SIGTERM) : 0 }
        try await daemon.waitUntilServing()
        try await waitUntilEveryCameraHasAState(daemon, timeout: 120)

        // Cameras change state now and then (10 s probes of broken cameras): compare
        // at a moment the summary is the same before and after the three reports.
        for _ in 1...5 {
            let before = try districtStates(statusSummary(daemon, by: "district"))
            let json = try demoReport(daemon, "json"), csv = try demoReport(daemon, "csv"), html = try demoReport(daemon, "html")
            guard try districtStates(statusSummary(daemon, by: "district")) == before else { continue }
            let schools = try statusSummary(daemon, by: "school").count
            #expect(before.values.reduce(0) { $0 + $1.values.reduce(0, +) } == 20, "the demo region has 20 cameras: \(before)")
            #expect(schools == 5)
            try expectCounts(json: json, csv: csv, html: html, summary: before, schools: schools)
            try expectPictureBudget(daemon)
            _ = try await daemon.stop()
            return
        }
        Issue.record("the camera states did not hold still for three reports in five tries")
    }

    /// Cameras by district and state, as the summary and the reports must count them.
    typealias DistrictStates = [String: [String: Int]]

    func expectCounts(json: URL, csv: URL, html: URL, summary: DistrictStates, schools: Int) throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let fromJSON = try Self.districtStates(json: document)
        #expect(fromJSON == summary, "JSON \(fromJSON) ≠ summary \(summary)")
        let totals = try #require(document["totals"] as? [String: Any])
        #expect((totals["schools"] as? [String: Any])?["total"] as? Int == schools)
        let cameraTotals = try #require(totals["cameras"] as? [String: Any])
        let all = summary.values.reduce(into: [String: Int]()) { $0.merge($1, uniquingKeysWith: +) }
        #expect(cameraTotals["total"] as? Int == all.values.reduce(0, +))
        for (state, name) in Self.classOfState {
            #expect(cameraTotals[name] as? Int == all[state, default: 0], "JSON totals: \(name)")
        }

        let rows = try Self.csvRows(Data(contentsOf: csv))
        let header = try #require(rows.first)
        let record = try #require(header.firstIndex(of: "record")), district = try #require(header.firstIndex(of: "district"))
        let state = try #require(header.firstIndex(of: "state"))
        var fromCSV: DistrictStates = [:]
        for row in rows.dropFirst() where row[record] == "camera" { fromCSV[row[district], default: [:]][row[state], default: 0] += 1 }
        #expect(fromCSV == summary, "CSV \(fromCSV) ≠ summary \(summary)")
        #expect(rows.dropFirst().filter { $0[record] == "school" }.count == schools)

        let dom = try ReportBrowser.dumpDOM(html.absoluteString)
        let fromHTML = Self.districtStates(dom: dom)
        #expect(fromHTML == summary, "HTML \(fromHTML) ≠ summary \(summary)")
        let page = ReportBrowserTests()
        #expect(page.total(dom, row: "cameras", "total") == all.values.reduce(0, +))
        for (state, name) in Self.classOfState {
            #expect(page.total(dom, row: "cameras", name) == all[state, default: 0], "HTML totals: \(name)")
        }
        #expect(page.total(dom, row: "schools", "total") == schools)
    }

    /// The report's class of each state.
    static let classOfState = ["up": "compliant", "degraded": "non_compliant", "down": "not_working", "unknown": "unknown"]

    func waitUntilEveryCameraHasAState(_ daemon: Daemon, timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var unknown: [Any] = []
        while Date() < deadline {
            let list = try #require(try daemon.get("/v1/cameras?state=unknown") as? [String: Any])
            unknown = list["cameras"] as? [Any] ?? []
            if unknown.isEmpty, list["count"] as? Int == 0 { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw FleetError("cameras still unknown after \(timeout) s: \(unknown)")
    }

    /// The rows of `camprobe status --json summary --by LEVEL`.
    func statusSummary(_ daemon: Daemon, by level: String) throws -> [[String: Any]] {
        let out = try ReportBrowser.run(CLITests.binary.path, ["status", "--socket", daemon.socket, "--json", "summary", "--by", level])
        let document = try #require(try JSONSerialization.jsonObject(with: out) as? [String: Any])
        return try #require(document["rows"] as? [[String: Any]])
    }

    /// Summary rows by district as each district's cameras by state (states with none left out).
    func districtStates(_ rows: [[String: Any]]) throws -> DistrictStates {
        var result: DistrictStates = [:]
        for row in rows {
            let name = try #require(row["name"] as? String)
            for state in Self.classOfState.keys {
                let count = try #require(row[state] as? Int)
                if count > 0 { result[name, default: [:]][state] = count }
            }
        }
        return result
    }

    func demoReport(_ daemon: Daemon, _ format: String, _ extra: [String] = []) throws -> URL {
        let file = daemon.dir.appendingPathComponent("demo-report-\(UUID().uuidString.prefix(6)).\(format)")
        _ = try ReportBrowser.run(CLITests.binary.path, [
            "report", "--config", daemon.config, "--region", Self.demoRegion, "--format", format, "--output", file.path,
        ] + extra)
        return file
    }

    /// `--snapshot-budget`: none inline at 0 (the file says how many it left
    /// out); with room for a few, the pictures inline are the first ones of the
    /// order not working → non-compliant → the rest (latest, then at the change),
    /// within the budget.
    func expectPictureBudget(_ daemon: Daemon) throws {
        let none = try demoJSON(daemon, budget: 0)
        let pictured = Self.pictures(none)
        #expect(pictured.count >= 5, "the demo's cameras that show a picture have one: \(pictured)")
        #expect(pictured.allSatisfy { $0.source == nil })
        let withLatest = pictured.filter { $0.pass.0 % 2 == 0 }.count  // passes 0, 2, 4: the latest pictures
        #expect(none["snapshots_left_out"] as? Int == withLatest)
        let html = try String(contentsOf: demoReport(daemon, "html", ["--snapshot-budget", "0"]), encoding: .utf8)
        #expect(html.contains("id=\"snapshots-left-out\" data-cameras=\"\(withLatest)\""))
        #expect(!html.contains("src=\"data:image/jpeg"))

        let budget = 40_000
        let some = try demoJSON(daemon, budget: Double(budget) / 1_048_576)
        let order = Self.pictures(some).sorted { $0.pass < $1.pass }
        let inline = order.filter { $0.source != nil }
        #expect(!inline.isEmpty && inline.count < order.count, "\(inline.count) of \(order.count) inline")
        #expect(order.prefix(inline.count).allSatisfy { $0.source != nil }, "not the first of the order: \(order.map { ($0.camera, $0.pass, $0.source != nil) })")
        #expect(inline.first?.pass.0 == 0, "the first picture carried is a camera not working")
        let bytes = inline.reduce(0) { $0 + (Data(base64Encoded: String($1.source!.dropFirst("data:image/jpeg;base64,".count)))?.count ?? budget) }
        #expect(bytes <= budget)
    }

    func demoJSON(_ daemon: Daemon, budget: Double) throws -> [String: Any] {
        let file = try demoReport(daemon, "json", ["--snapshot-budget", String(budget)])
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    }

    /// Every picture of the report with its place in the budget's order:
    /// (pass, position in the report), passes as ``ReportBuilder/inlinePasses``.
    static func pictures(_ document: [String: Any]) -> [(camera: String, pass: (Int, Int), source: String?)] {
        let passOf = ["not_working": 0, "non_compliant": 2, "compliant": 4, "unknown": 4]
        var result: [(camera: String, pass: (Int, Int), source: String?)] = []
        var position = 0
        for school in document["schools"] as? [[String: Any]] ?? [] {
            for camera in school["cameras"] as? [[String: Any]] ?? [] {
                position += 1
                let id = camera["id"] as? String ?? "", base = passOf[camera["compliance"] as? String ?? ""] ?? 9
                for (offset, key) in ["snapshot", "change_snapshot"].enumerated() {
                    guard let picture = camera[key] as? [String: Any] else { continue }
                    result.append((id, (base + offset, position), picture["source"] as? String))
                }
            }
        }
        return result
    }

    static func districtStates(json document: [String: Any]) throws -> DistrictStates {
        var result: DistrictStates = [:]
        for school in try #require(document["schools"] as? [[String: Any]]) {
            let district = try #require(school["district"] as? String)
            for camera in try #require(school["cameras"] as? [[String: Any]]) {
                result[district, default: [:]][try #require(camera["state"] as? String), default: 0] += 1
            }
        }
        return result
    }

    /// The camera rows (`data-state`) inside each district's `<details>` of the rendered page.
    static func districtStates(dom: String) -> DistrictStates {
        var result: DistrictStates = [:]
        for section in dom.components(separatedBy: "<details class=\"district\"").dropFirst() {
            guard let name = section.range(of: "data-district=\"") else { continue }
            let district = unescape(String(section[name.upperBound...].prefix { $0 != "\"" }))
            let body = section.components(separatedBy: "</details>")[0]
            for row in body.components(separatedBy: "<tr class=\"camera\"").dropFirst() {
                guard let attribute = row.range(of: "data-state=\"") else { continue }
                result[district, default: [:]][String(row[attribute.upperBound...].prefix { $0 != "\"" }), default: 0] += 1
            }
        }
        return result
    }

    static func unescape(_ text: String) -> String {
        [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
            .reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    /// RFC 4180 with `;` between fields, after the byte-order mark.
    static func csvRows(_ data: Data) throws -> [[String]] {
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF], "no UTF-8 byte-order mark")
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, afterQuote = false
        for character in text {
            if quoted {
                if character == "\"" { quoted = false; afterQuote = true } else { field.append(character) }
                continue
            }
            switch character {
            case "\"": if afterQuote { field.append("\"") }; quoted = true; afterQuote = false
            case ";": row.append(field); field = ""; afterQuote = false
            case "\r\n", "\n": row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
            default: field.append(character); afterQuote = false
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

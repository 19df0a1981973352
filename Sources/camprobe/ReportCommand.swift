import ArgumentParser
import CamProbeConfig
import CamProbeCore
import Foundation
import Report
import Store

/// `camprobe report`: the inspection report of a period, from the state
/// directory (the daemon may be running: the store is read from a committed
/// snapshot, never written).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the inspection report of a period: compliance by region, district and school, with snapshots.",
        discussion: """
            Reads the state directory of the config (or --state-dir); works while the daemon runs and \
            without it. HTML is one self-contained file (inline SVG charts and snapshots, no script, \
            A4 print stylesheet); CSV is UTF-8 with a byte-order mark, ';'-separated, one row per \
            school and per camera; JSON is the model behind both. See docs/report.md.

            Exit status: 0 written; 1 the state or the config could not be read; 2 usage error.
            """
    )

    @Option(help: "The configuration file (inventory, profiles, state directory).")
    var config: String?

    @Option(help: "The state directory (default: the config's daemon.state_dir).")
    var stateDir: String?

    @Option(help: "A month, YYYY-MM (default: the current month).")
    var period: String?

    @Option(help: "First day, YYYY-MM-DD.")
    var from: String?

    @Option(help: "Last day (included), YYYY-MM-DD.")
    var to: String?

    @Option(help: "Only this region.")
    var region: String?

    @Option(help: "Only this district.")
    var district: String?

    @Option(help: "Only this school (name or BIN).")
    var school: String?

    @Option(help: "ru, kk or en (default: the config's language, else ru).")
    var language: Language?

    @Option(help: "html, csv or json.")
    var format: ReportFormat = .html

    @Option(help: "Write here instead of standard output.")
    var output: String?

    @Option(help: ArgumentHelp(
        "MiB of snapshots an HTML or JSON file carries inline, those of cameras not working and non-compliant first (0: none).",
        valueName: "MiB"))
    var snapshotBudget: Double = Double(ReportBuilder.defaultSnapshotBudgetMiB)

    func validate() throws {
        guard config != nil || stateDir != nil else { throw ValidationError("give --config FILE or --state-dir DIR") }
        guard (0...4096).contains(snapshotBudget) else { throw ValidationError("--snapshot-budget must be from 0 to 4096 (MiB)") }
    }

    func run() async throws {
        do {
            let range = try ReportQuery.period(month: period, from: from, to: to)
            let (cameras, directory, configLanguage) = try inventory()
            let query = ReportQuery(
                from: range.from, to: range.to, periodName: range.name, region: region, district: district, school: school,
                language: language ?? configLanguage ?? .ru)
            let store = try Self.openStore(directory)
            let mode: ReportBuilder.SnapshotMode = format == .csv ? .timesOnly : .inline(budget: Int(snapshotBudget * 1_048_576))
            let builder = ReportBuilder(store: store, snapshots: SnapshotStore.existing(stateDirectory: directory), snapshotMode: mode)
            let report = try builder.build(try Self.applyState(cameras, store: store), query: query)
            let bytes = try format.render(report)
            if let output {
                try bytes.write(to: URL(fileURLWithPath: output), options: .atomic)
                FileHandle.standardError.write(Data("camprobe report: \(report.totals.cameras.total) cameras, \(report.totals.schools.total) schools → \(output)\n".utf8))
            } else {
                FileHandle.standardOutput.write(bytes)
            }
        } catch let error as ReportQuery.PeriodError {
            FileHandle.standardError.write(Data("camprobe report: \(error)\n".utf8))
            throw ExitCode(2)
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("camprobe report: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The cameras (from the config, else from what the daemon left in the state
    /// directory), the state directory, and the config's language.
    private func inventory() throws -> ([ReportCamera], String, Language?) {
        if let config {
            let (loaded, diagnostics) = ConfigLoader.fromEnvironment().load(path: config)
            guard let loaded else {
                for diagnostic in diagnostics { FileHandle.standardError.write(Data("\(diagnostic)\n".utf8)) }
                throw ReportFailure(description: "\(config): the configuration has \(diagnostics.count) problem(s)")
            }
            let cameras = loaded.cameras.map { ReportCamera(status: FleetState.initialStatus(of: $0), profile: loaded.profile(for: $0)) }
            return (cameras, stateDir ?? loaded.config.daemon.stateDir, loaded.language)
        }
        let directory = stateDir ?? ""
        guard let cameras = try ReportInventory.load(stateDirectory: directory) else {
            throw ReportFailure(description: "\(directory): no \(ReportInventory.fileName) (the daemon writes it when it starts); give --config FILE")
        }
        return (cameras, directory, nil)
    }

    /// The store, only when its database exists: a report creates nothing.
    static func openStore(_ directory: String) throws -> StateStore {
        let file = (directory as NSString).appendingPathComponent(StateStore.fileName)
        guard FileManager.default.fileExists(atPath: file) else {
            throw ReportFailure(description: "\(directory): no state database (\(StateStore.fileName)); has the daemon run here?")
        }
        return try StateStore(directory: directory)
    }

    /// Each camera's stored state laid over its inventory facts.
    static func applyState(_ cameras: [ReportCamera], store: StateStore) throws -> [ReportCamera] {
        let states = try store.reportStates()
        return cameras.map { camera in
            var camera = camera
            if let saved = states[camera.status.id] { camera.status = saved.applied(to: camera.status) }
            return camera
        }
    }
}

struct ReportFailure: Error, CustomStringConvertible {
    let description: String
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case html, csv, json

    func render(_ report: InspectionReport) throws -> Data {
        switch self {
        case .html: Data(ReportHTML.render(report).utf8)
        case .csv: Data(ReportCSV.render(report).utf8)
        case .json: try report.json()
        }
    }
}


import ArgumentParser
import CamProbeConfig
import Foundation

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration: config file, profiles, secrets and inventories.",
        discussion: """
            Prints every problem on its own line, `path:line:column: message` for YAML files and \
            `path:row N, column NAME: message` for CSV files (row 1 is the header), then a summary. \
            Secrets are never printed. A secret named in the inventory may also come from \
            $CREDENTIALS_DIRECTORY/NAME (systemd credentials), holding `username:password`. \
            Exit status: 0 valid, 1 problems found, 2 usage error.
            """
    )

    @Option(help: "The configuration file (camprobe.yaml).")
    var config: String

    func run() throws {
        let (loaded, diagnostics) = ConfigLoader.load(path: config)
        for diagnostic in diagnostics { print(diagnostic) }
        guard let loaded else {
            print(diagnostics.count == 1 ? "1 problem" : "\(diagnostics.count) problems")
            throw ExitCode(1)
        }
        let expanded = loaded.recorders.count
        print(
            "config OK: \(count(loaded.cameras.count, "camera")) (\(count(expanded, "recorder")) expanded), "
                + "\(count(loaded.profiles.count, "profile")), \(count(loaded.secrets.count, "secret"))")
        let plan = SchedulePlan(loaded)
        print(plan.summary)
        for warning in plan.warnings { print("warning: \(warning)") }
    }

    private func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

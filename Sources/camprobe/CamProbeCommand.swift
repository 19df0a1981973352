import ArgumentParser
import CamProbeCore
import Foundation

@main
struct CamProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camprobe",
        abstract: "Measures what surveillance cameras really send, in-process through FFmpeg.",
        discussion: "Exit status: 0 all fine, 1 a problem was found (a camera not up), 2 usage error.",
        version: CamProbeVersion.current,
        subcommands: [ProbeCommand.self, CheckConfigCommand.self, RunCommand.self, StatusCommand.self, EventsCommand.self, ReportCommand.self, ArchiveCommand.self]
    )

    /// ArgumentParser exits 64 on usage errors; operators' scripts here expect 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
            } else {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            }
            Foundation.exit(code == .success ? 0 : (code == .validationFailure ? 2 : code.rawValue == 1 ? 1 : 2))
        }
    }
}

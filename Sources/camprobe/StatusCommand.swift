import ArgumentParser
import CamProbeCore
import Foundation
import StatusAPI

/// `camprobe status`: the status socket's command-line client. One command
/// with the action as words, so options may come before or after it
/// (`camprobe status --json summary --by district`).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Ask the running daemon: cameras, one camera, summaries; probe now, reload.",
        usage: """
            camprobe status [--socket PATH] [--json] [filters] [cameras]
            camprobe status [--socket PATH] [--json] camera ID
            camprobe status [--socket PATH] [--json] [filters] summary [--by region|district|school]
            camprobe status [--socket PATH] [--json] probe ID | reload | health
            """,
        discussion: """
            Talks HTTP/JSON to the daemon's status socket (API: docs/status-api.md).

            cameras (the default): every camera matching the filters, with its school, state, \
            since when and reasons; `camprobe status --state down` is the list of cameras down now. \
            camera ID: one camera, its last probe and its state history. summary: counts and \
            percentages of up, degraded and down cameras per region, district or school \
            (percentages are of the cameras with a known state). probe ID: probe that camera now. \
            reload: re-read the configuration (like SIGHUP; an invalid one is refused and its \
            problems printed). health: whether the daemon answers.

            Tables align Cyrillic and Kazakh text by character count; --json prints the daemon's \
            JSON as it came (also for an error answer).

            Exit status: 0 the daemon answered, and for `camera ID` that camera is up; 1 the daemon \
            is unreachable or answered an error, or for `camera ID` the camera is not up (degraded, \
            down or unknown); 2 usage error.
            """
    )

    enum Action: Equatable {
        case cameras
        case camera(String)
        case summary
        case probe(String)
        case reload
        case health
    }

    @Option(help: "The daemon's status socket.")
    var socket: String = StatusServerConfiguration.defaultSocketPath

    @Flag(help: "Print the daemon's JSON answer as it came.")
    var json = false

    @Option(help: "Seconds to wait for the whole answer.")
    var timeout: Double = 30

    @Option(help: "Only cameras in this state: up, degraded, down or unknown.")
    var state: MonitorState?

    @Option(help: "Only cameras with this reason code, e.g. picture.frozen or probe.session_limit.")
    var reason: String?

    @Option(help: "Only cameras of this region.")
    var region: String?

    @Option(help: "Only cameras of this district.")
    var district: String?

    @Option(help: "Only cameras of this school (name or BIN).")
    var school: String?

    @Option(help: "Only cameras reached through this host (a DVR/NVR or camera address).")
    var host: String?

    @Option(help: "With summary: one row per region (default), district or school.")
    var by: SummaryRow.Level?

    @Argument(help: "cameras (default) | camera ID | summary | probe ID | reload | health")
    var words: [String] = []

    var filter: CameraFilter {
        CameraFilter(state: state, reason: reason, region: region, district: district, school: school, host: host)
    }

    func action() throws -> Action {
        switch words.first {
        case nil, "cameras": return try exactly(1, .cameras)
        case "camera": return try exactly(2, .camera(id()))
        case "summary": return try exactly(1, .summary)
        case "probe": return try exactly(2, .probe(id()))
        case "reload": return try exactly(1, .reload)
        case "health": return try exactly(1, .health)
        case let word?:
            throw ValidationError("unknown action '\(word)': use cameras, camera ID, summary, probe ID, reload or health")
        }
    }

    private func id() throws -> String {
        guard words.count > 1, !words[1].isEmpty else { throw ValidationError("'\(words[0])' needs a camera id") }
        return words[1]
    }

    private func exactly(_ count: Int, _ action: Action) throws -> Action {
        guard words.count <= count else { throw ValidationError("unexpected argument '\(words[count])'") }
        return action
    }

    func validate() throws {
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be more than 0 and at most 600 seconds") }
        let action = try action()
        if by != nil, action != .summary { throw ValidationError("--by goes with summary") }
        switch action {
        case .cameras, .summary: break
        case .camera, .probe, .reload, .health:
            guard filter == CameraFilter() else {
                throw ValidationError("--state, --reason, --region, --district, --school and --host go with cameras or summary")
            }
        }
    }

    func run() async throws {
        switch try action() {
        case .cameras:
            let response = try await send(.cameras(filter))
            if !json { print(StatusTable.cameras(try decode(CameraList.self, from: response)), terminator: "") }
        case .camera(let id):
            let detail = try decode(CameraDetail.self, from: try await send(.camera(id)))
            if !json { print(StatusTable.camera(detail), terminator: "") }
            if detail.status.state != .up { throw ExitCode(1) }
        case .summary:
            let response = try await send(.summary(by: by ?? .region, filter))
            if !json { print(StatusTable.summary(try decode(SummaryDocument.self, from: response)), terminator: "") }
        case .probe(let id):
            let response = try await send(.probe(id))
            if !json { print("probe of \(try decode(ProbeRequested.self, from: response).camera) queued") }
        case .reload:
            let response = try await send(.reload)
            if !json {
                let cameras = try decode(ReloadResult.self, from: response).cameras
                print("configuration reloaded: \(cameras) camera\(cameras == 1 ? "" : "s")")
            }
        case .health:
            let response = try await send(.health)
            if !json {
                let health = try decode(HealthDocument.self, from: response)
                print("camprobe is running since \(StatusTable.time(health.startedAt)) (\(StatusTable.duration(health.uptimeSeconds)))")
            }
        }
    }

    /// Sends the request. With --json the daemon's body goes to standard output
    /// whatever its status, and an error answer exits 1 without another word;
    /// without --json an error answer is one line on standard error, exit 1.
    private func send(_ request: StatusRequest) async throws -> StatusResponse {
        let client = StatusClient(socketPath: socket, requestTimeout: .milliseconds(Int64(timeout * 1000)))
        let response: StatusResponse
        do {
            response = try await client.send(request)
        } catch {
            throw Self.report(error)
        }
        if json {
            FileHandle.standardOutput.write(response.body)
            if !response.isSuccess { throw ExitCode(1) }
        } else if !response.isSuccess {
            throw Self.report(response.error(socketPath: socket))
        }
        return response
    }

    private func decode<T: Decodable>(_ type: T.Type, from response: StatusResponse) throws -> T {
        do {
            return try response.decode(type, socketPath: socket)
        } catch {
            throw Self.report(error)
        }
    }

    /// One line on standard error (a refused reload's problems follow, one per
    /// line); the caller exits 1.
    private static func report(_ error: StatusClientError) -> ExitCode {
        var text = "camprobe status: \(error)\n"
        if case .server(_, _, _, let problems) = error {
            for problem in problems { text += "  \(problem)\n" }
        }
        FileHandle.standardError.write(Data(text.utf8))
        return ExitCode(1)
    }
}

extension MonitorState: ExpressibleByArgument {}
extension SummaryRow.Level: ExpressibleByArgument {}

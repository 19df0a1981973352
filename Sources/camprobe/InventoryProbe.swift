import ArgumentParser
import CamProbeConfig
import CamProbeCore
import Foundation
import Probe

/// `camprobe probe --config FILE --camera/--school/--region`: probes inventory
/// cameras and judges each against its profile.
struct InventoryProbe {
    let command: ProbeCommand
    let configPath: String
    let selector: CameraSelector

    /// One camera's outcome.
    struct Result {
        let camera: Camera
        let report: ProbeReport
        let verdict: Verdict
    }

    func run() async throws {
        let (loadedOrNil, diagnostics) = ConfigLoader.fromEnvironment().load(path: configPath)
        guard let loaded = loadedOrNil else {
            for diagnostic in diagnostics { FileHandle.standardError.write(Data("\(diagnostic)\n".utf8)) }
            FileHandle.standardError.write(Data("camprobe: the configuration has problems (camprobe check-config --config \(configPath))\n".utf8))
            throw ExitCode(2)
        }
        let cameras = selector.select(from: loaded.cameras)
        guard !cameras.isEmpty else {
            FileHandle.standardError.write(Data("camprobe: no camera in the inventory matches \(selector.description)\n".utf8))
            throw ExitCode(2)
        }
        let language = command.language ?? loaded.language
        let options = command.options(base: loaded.config.probe.options)
        let prober = Prober(concurrency: min(command.concurrency ?? loaded.config.probe.concurrency, cameras.count))
        let results = await probe(cameras, loaded: loaded, prober: prober, options: options)
        if command.json {
            try printJSON(results.map { CameraResultDocument($0, language: language) })
        } else {
            print(VerdictTable.render(results, language: language), terminator: "")
        }
        if results.contains(where: { $0.verdict.state != .up }) { throw ExitCode(1) }
    }

    /// At most this many sessions at once on one device (the daemon's
    /// scheduler groups cameras the same way): a DVR/NVR, or one address and
    /// port, has few RTSP session slots.
    static let sessionsPerDevice = 2

    /// Cameras of one device are probed at most `sessionsPerDevice` at a time;
    /// different devices in parallel, up to the prober's concurrency.
    private func probe(_ cameras: [Camera], loaded: LoadedConfig, prober: Prober, options: ProbeOptions) async -> [Result] {
        var lanes: [String: [[(Int, Camera)]]] = [:]
        var order: [String] = []
        for (index, camera) in cameras.enumerated() {
            let device = ScheduledCamera.sessionKey(for: camera)
            if lanes[device] == nil {
                order.append(device)
                lanes[device] = Array(repeating: [], count: Self.sessionsPerDevice)
            }
            let lane = (lanes[device]!.map(\.count).enumerated().min { $0.element < $1.element })!.offset
            lanes[device]![lane].append((index, camera))
        }
        return await withTaskGroup(of: [(Int, Result)].self) { group in
            for device in order {
                for lane in lanes[device] ?? [] where !lane.isEmpty {
                    group.addTask {
                        var done: [(Int, Result)] = []
                        for (index, camera) in lane {
                            done.append((index, await probe(camera, loaded: loaded, prober: prober, options: options)))
                        }
                        return done
                    }
                }
            }
            var results = [Result?](repeating: nil, count: cameras.count)
            for await batch in group {
                for (index, result) in batch { results[index] = result }
            }
            return results.compactMap { $0 }
        }
    }

    private func probe(_ camera: Camera, loaded: LoadedConfig, prober: Prober, options: ProbeOptions) async -> Result {
        let profile = loaded.profile(for: camera) ?? .digitalMain
        let report: ProbeReport
        do {
            // The evaluator re-judges the picture with the profile's thresholds.
            report = await prober.probe(try loaded.mainStream(for: camera), options: options)
        } catch {
            report = ProbeReport(target: "(camera \(camera.id))", startedAt: Date(), failure: error)
        }
        let verdict = PolicyEvaluator(profile: profile, camera: camera).evaluate(main: report)
        return Result(camera: camera, report: report, verdict: verdict)
    }
}

/// The JSON shape of one inventory camera's result.
struct CameraResultDocument: Encodable {
    struct CameraInfo: Encodable {
        let id: String
        let region: String
        let district: String
        let school: String
        let schoolBin: String?
        let location: String?
        let kind: CameraKind
        let recorder: RecorderChannel?
        let profile: String
    }

    struct ReasonInfo: Encodable {
        let code: String
        let severity: Severity
        let text: String
        let measured: String?
        let expected: String?
    }

    let camera: CameraInfo
    let target: String
    let state: CameraState
    let stateText: String
    let reasons: [ReasonInfo]
    let report: ProbeReport

    init(_ result: InventoryProbe.Result, language: Language) {
        let c = result.camera
        camera = CameraInfo(
            id: c.id, region: c.region, district: c.district, school: c.school.name, schoolBin: c.school.bin,
            location: c.location, kind: c.kind, recorder: c.recorder, profile: c.profile)
        target = result.report.target
        state = result.verdict.state
        stateText = result.verdict.state.name(in: language)
        reasons = result.verdict.reasons.map {
            ReasonInfo(code: $0.code.rawValue, severity: $0.severity, text: $0.text(in: language), measured: $0.measured, expected: $0.expected)
        }
        report = result.report
    }
}

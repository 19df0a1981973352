import ArgumentParser
import CamProbeConfig
import CamProbeCore
import Foundation
import Probe

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe cameras once and report what each one sends.",
        discussion: """
            Either stream URLs, judged only on whether the stream and its picture are alive, or \
            inventory cameras (--config with --camera, --school or --region), judged against their \
            compliance profile with reasons in the configured language. Opens each stream \
            in-process (RTSP over TCP by default), measures codec, resolution, frame rate, \
            keyframe interval, bitrate and the picture over a short window, and prints a table \
            (or JSON). Credentials are never printed. Exit status: 0 every camera up, 1 any not \
            up, 2 usage error.
            """
    )

    @Flag(help: "Print one JSON document (an array when several cameras are probed).")
    var json = false

    @Option(help: "Seconds of stream to measure after the first frame (default 2, or the config's).")
    var window: Double?

    @Option(help: "Seconds allowed for each network phase: resolve, connect, handshake, first frame (default 5, or the config's).")
    var timeout: Double?

    @Option(help: "RTSP transport: auto (TCP, UDP if the camera refuses TCP), tcp or udp.")
    var transport: ProbeOptions.Transport?

    @Option(help: "RTSP client: native (CamProbe's own, over TCP; the default) or ffmpeg (FFmpeg's RTSP reader).")
    var rtspClient: ProbeOptions.RTSPClient?

    @Flag(help: "Skip decoding keyframes (no picture checks; cheaper).")
    var noPicture = false

    @Option(help: "Keyframes to decode per probe: 2 also detects a frozen picture within one probe, 1 is cheaper.")
    var keyframes: Int = ProbeOptions.default.maxDecodedKeyframes

    @Option(help: "Streams probed at once (default 4, or the config's).")
    var concurrency: Int?

    @Option(help: "Configuration file (camprobe.yaml): probe its inventory cameras.")
    var config: String?

    @Option(help: "With --config: the camera with this id.")
    var camera: String?

    @Option(help: "With --config: every camera of the school with this name or BIN.")
    var school: String?

    @Option(help: "With --config: every camera of this region.")
    var region: String?

    @Option(help: "Language of the reasons: ru, kk or en (default: the config's).")
    var language: Language?

    @Argument(help: "Stream URLs: rtsp://, rtsps://, http(s):// or file:.")
    var urls: [String] = []

    var selector: CameraSelector? {
        if let camera { return .camera(camera) }
        if let school { return .school(school) }
        if let region { return .region(region) }
        return nil
    }

    func validate() throws {
        let selectors = [camera, school, region].compactMap { $0 }.count
        if config != nil {
            guard urls.isEmpty else { throw ValidationError("give either stream URLs or --config, not both") }
            guard selectors == 1 else { throw ValidationError("with --config, give exactly one of --camera, --school or --region") }
        } else {
            guard selectors == 0 else { throw ValidationError("--camera, --school and --region need --config") }
            guard !urls.isEmpty else { throw ValidationError("give at least one stream URL, or --config with --camera, --school or --region") }
        }
        if let window { guard window > 0, window <= 60 else { throw ValidationError("--window must be more than 0 and at most 60 seconds") } }
        if let timeout { guard timeout > 0, timeout <= 120 else { throw ValidationError("--timeout must be more than 0 and at most 120 seconds") } }
        guard (1...2).contains(keyframes) else { throw ValidationError("--keyframes must be 1 or 2") }
        if let concurrency { guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be from 1 to 256") } }
        for (index, text) in urls.enumerated() {
            do {
                _ = try StreamURL(parsing: text)
            } catch {
                // The text may hold credentials: name the argument, not its value.
                throw ValidationError("URL argument \(index + 1) is not a stream URL: \(error.message)")
            }
        }
    }

    /// Command-line flags over the config's settings over the defaults.
    func options(base: ProbeOptions) -> ProbeOptions {
        var options = base
        if let window { options.window = window }
        if let timeout { options.phaseTimeout = timeout }
        if let transport { options.transport = transport }
        if let rtspClient { options.rtspClient = rtspClient }
        options.decodePicture = !noPicture
        options.maxDecodedKeyframes = keyframes
        return options
    }

    func run() async throws {
        if let config, let selector {
            try await InventoryProbe(command: self, configPath: config, selector: selector).run()
            return
        }
        let parsed = try urls.map { try StreamURL(parsing: $0) }
        let options = options(base: .default)
        let prober = Prober(concurrency: min(concurrency ?? 4, parsed.count))
        let reports = await withTaskGroup(of: (Int, ProbeReport).self) { group in
            for (index, url) in parsed.enumerated() {
                group.addTask { (index, await prober.probe(url, options: options)) }
            }
            var results = [ProbeReport?](repeating: nil, count: parsed.count)
            for await (index, report) in group { results[index] = report }
            return results.compactMap { $0 }
        }
        if json {
            try printJSON(reports.map(ProbeResultDocument.init))
        } else {
            print(ReportTable.render(reports), terminator: "")
        }
        if reports.contains(where: { $0.status != .up }) { throw ExitCode(1) }
    }
}

extension ProbeOptions.Transport: ExpressibleByArgument {}
extension ProbeOptions.RTSPClient: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// One JSON document: the object itself for one item, an array for several.
func printJSON<T: Encodable>(_ documents: [T]) throws {
    let encoder = JSONEncoder.camprobe
    let data = documents.count == 1 ? try encoder.encode(documents[0]) : try encoder.encode(documents)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// The JSON shape of one probed stream: its status and reasons first, then
/// everything measured.
struct ProbeResultDocument: Encodable {
    let target: String
    let status: StreamStatus
    let reasons: [StatusReason]
    let report: ProbeReport

    init(_ report: ProbeReport) {
        target = report.target
        status = report.status
        reasons = report.reasons.map(\.reason)
        self.report = report
    }
}

extension JSONEncoder {
    static var camprobe: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}

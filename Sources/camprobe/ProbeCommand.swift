import ArgumentParser
import CamProbeCore
import Foundation
import Probe

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe stream URLs once and report what each camera sends.",
        discussion: """
            Opens each URL in-process (RTSP over TCP by default), measures codec, resolution, \
            frame rate, keyframe interval, bitrate and the picture over a short window, and \
            prints a table (or JSON). Credentials in URLs are never printed.
            """
    )

    @Flag(help: "Print one JSON document (an array when several URLs are probed).")
    var json = false

    @Option(help: "Seconds of stream to measure after the first frame.")
    var window: Double = ProbeOptions.default.window

    @Option(help: "Seconds allowed for each network phase (resolve, connect, handshake, first frame).")
    var timeout: Double = ProbeOptions.default.phaseTimeout

    @Option(help: "RTSP transport: auto (TCP, UDP if the camera refuses TCP), tcp or udp.")
    var transport: ProbeOptions.Transport = .auto

    @Flag(help: "Skip decoding keyframes (no picture checks; cheaper).")
    var noPicture = false

    @Option(help: "Keyframes to decode per probe: 2 also detects a frozen picture within one probe, 1 is cheaper.")
    var keyframes: Int = ProbeOptions.default.maxDecodedKeyframes

    @Option(help: "Streams probed at once.")
    var concurrency: Int = 4

    @Argument(help: "Stream URLs: rtsp://, rtsps://, http(s):// or file:.")
    var urls: [String] = []

    func validate() throws {
        guard !urls.isEmpty else { throw ValidationError("give at least one stream URL") }
        guard window > 0, window <= 60 else { throw ValidationError("--window must be more than 0 and at most 60 seconds") }
        guard timeout > 0, timeout <= 120 else { throw ValidationError("--timeout must be more than 0 and at most 120 seconds") }
        guard (1...2).contains(keyframes) else { throw ValidationError("--keyframes must be 1 or 2") }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be from 1 to 256") }
        for (index, text) in urls.enumerated() {
            do {
                _ = try StreamURL(parsing: text)
            } catch {
                // The text may hold credentials: name the argument, not its value.
                throw ValidationError("URL argument \(index + 1) is not a stream URL: \(error.message)")
            }
        }
    }

    func run() async throws {
        let parsed = try urls.map { try StreamURL(parsing: $0) }
        let options = ProbeOptions(
            window: window, phaseTimeout: timeout, transport: transport, decodePicture: !noPicture,
            maxDecodedKeyframes: keyframes)
        let prober = Prober(concurrency: min(concurrency, parsed.count))
        let reports = await withTaskGroup(of: (Int, ProbeReport).self) { group in
            for (index, url) in parsed.enumerated() {
                group.addTask { (index, await prober.probe(url, options: options)) }
            }
            var results = [ProbeReport?](repeating: nil, count: parsed.count)
            for await (index, report) in group { results[index] = report }
            return results.compactMap { $0 }
        }
        if json {
            let documents = reports.map(ProbeResultDocument.init)
            let encoder = JSONEncoder.camprobe
            let data = documents.count == 1 ? try encoder.encode(documents[0]) : try encoder.encode(documents)
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            print(ReportTable.render(reports), terminator: "")
        }
        if reports.contains(where: { $0.status != .up }) { throw ExitCode(1) }
    }
}

extension ProbeOptions.Transport: ExpressibleByArgument {}

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

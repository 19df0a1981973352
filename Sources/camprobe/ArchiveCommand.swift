import Archive
import ArgumentParser
import CamProbeConfig
import CamProbeCore
import Foundation

struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Measure one recorder's archive now (ONVIF Profile G) and print each channel's verdict.",
        discussion: """
            Per channel: earliest and latest recording, days recorded, holes, and the archive reasons \
            (archive.too_short, archive.gaps, archive.clock; archive.unmeasured when it cannot be measured), \
            judged by the channel's profile. Exit status: 0 every channel complies, 1 a problem was found \
            or the archive could not be measured, 2 usage error.
            """
    )

    @Option(help: "The configuration file (camprobe.yaml).")
    var config: String

    @Option(help: "The recorder's id in the inventory.")
    var recorder: String?

    @Option(help: "A camera id: its recorder is measured, and only its channel printed.")
    var camera: String?

    @Option(help: "Seconds per ONVIF request.")
    var timeout: Double = 10

    func validate() throws {
        guard (recorder == nil) != (camera == nil) else {
            throw ValidationError("give exactly one of --recorder ID or --camera ID")
        }
        guard timeout > 0, timeout <= 120 else { throw ValidationError("--timeout must be more than 0 and at most 120 seconds") }
    }

    func run() throws {
        let (loaded, diagnostics) = ConfigLoader.load(path: config)
        guard let loaded else {
            for diagnostic in diagnostics { print(diagnostic) }
            throw ExitCode(2)
        }
        let (target, channels) = try select(loaded)
        let measurement = try ArchiveMeter(timeout: timeout)
            .measure(target, credentials: target.credentials.flatMap { loaded.secrets[$0] })
        print(ArchiveReport(measurement: measurement, language: loaded.language).header)
        var compliant = measurement.failure == nil
        for camera in channels {
            guard let channel = camera.recorder?.channel, let profile = loaded.profile(for: camera) else { continue }
            let reasons = ArchiveEvaluator(rules: profile.archive).reasons(measurement, channel: channel)
            compliant = compliant && reasons.isEmpty
            print(ArchiveReport(measurement: measurement, language: loaded.language).line(camera: camera.id, channel: channel, reasons: reasons))
        }
        if !compliant { throw ExitCode(1) }
    }

    private func select(_ loaded: LoadedConfig) throws -> (Recorder, [Camera]) {
        if let camera {
            guard let found = loaded.cameras.first(where: { $0.id == camera }) else {
                throw ValidationError("no camera '\(camera)' in the inventory")
            }
            guard let id = found.recorder?.recorder, let recorder = loaded.recorders.first(where: { $0.id == id }) else {
                throw ValidationError("camera '\(camera)' is not behind a recorder of the inventory: it has no archive to measure")
            }
            return (recorder, [found])
        }
        guard let recorder = loaded.recorders.first(where: { $0.id == self.recorder }) else {
            throw ValidationError("no recorder '\(self.recorder ?? "")' in the inventory")
        }
        return (recorder, loaded.cameras.filter { $0.recorder?.recorder == recorder.id })
    }
}

/// The lines `camprobe archive` prints.
struct ArchiveReport {
    let measurement: ArchiveMeasurement
    let language: Language

    var header: String {
        var parts = ["recorder \(measurement.recorder)", "measured \(Self.time(measurement.measuredAt))"]
        parts.append("by \(measurement.source?.rawValue ?? "none")")
        if let offset = measurement.clockOffset { parts.append("clock offset \(Int(offset)) s") }
        parts.append("\(measurement.sessions) \(measurement.source == .rtsp ? "RTSP sessions" : "requests")")
        if let failure = measurement.failure { parts.append("not measured: \(failure.message)") }
        return parts.joined(separator: ", ")
    }

    func line(camera: String, channel: Int, reasons: [Reason]) -> String {
        var parts = [camera]
        if measurement.failure == nil, let archive = measurement.channel(channel) {
            let earliest = archive.earliest.map(Self.time) ?? "-", latest = archive.latest.map(Self.time) ?? "-"
            parts.append("\(String(format: "%.1f", archive.daysCovered)) days (\(earliest) … \(latest))")
            parts.append(archive.gaps.isEmpty ? "no holes" : archive.gaps.map { "hole \(Self.time($0.from)) … \(Self.time($0.to))" }.joined(separator: ", "))
        }
        let verdict = Verdict(reasons: reasons)
        parts.append(verdict.summary(in: language))
        return parts.joined(separator: "  ")
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

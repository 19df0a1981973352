import CamProbeCore
import Foundation
import Synchronization

/// A `StatusSource` holding a few cameras in memory: what the monitor answers,
/// without the monitor. Records the probes asked for and answers reloads as set.
final class InMemoryStatusSource: StatusSource {
    let cameras: [CameraStatus]
    let details: [String: CameraDetail]
    private let state = Mutex(State())

    private struct State {
        var probed: [String] = []
        var reloadResult = ReloadResult(ok: true, problems: [], cameras: 4)
        var failing = false
    }

    init(cameras: [CameraStatus] = Fixtures.cameras, details: [String: CameraDetail] = Fixtures.details) {
        self.cameras = cameras
        self.details = details
    }

    var probed: [String] { state.withLock { $0.probed } }

    func setReloadResult(_ result: ReloadResult) { state.withLock { $0.reloadResult = result } }

    /// Makes every query throw, as a broken state store would.
    func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    struct StoreBroken: Error, CustomStringConvertible {
        var description: String { "database disk image is malformed (secret=hunter2)" }
    }

    func cameras(matching filter: CameraFilter) async throws -> [CameraStatus] {
        if state.withLock({ $0.failing }) { throw StoreBroken() }
        return cameras.filter(filter.matches)
    }

    func camera(id: String) async throws -> CameraDetail? {
        if state.withLock({ $0.failing }) { throw StoreBroken() }
        if let detail = details[id] { return detail }
        return cameras.first { $0.id == id }.map { CameraDetail(status: $0, lastReport: nil, history: []) }
    }

    func summary(by level: SummaryRow.Level, filter: CameraFilter) async throws -> [SummaryRow] {
        if state.withLock({ $0.failing }) { throw StoreBroken() }
        return SummaryRow.summarize(cameras.filter(filter.matches), by: level)
    }

    func probeNow(camera id: String) async throws -> Bool {
        guard cameras.contains(where: { $0.id == id }) else { return false }
        state.withLock { $0.probed.append(id) }
        return true
    }

    func reload() async -> ReloadResult {
        state.withLock { $0.reloadResult }
    }
}

/// Cameras of two regions with Kazakh and Russian names: in Abai region 3 of
/// the 4 known cameras are down (75.0%), one is degraded; one camera in Zhambyl
/// region is up and one is not probed yet.
enum Fixtures {
    static let abai = "Абай облысы"
    static let zhambyl = "Жамбылская область"
    static let semey = "г. Семей"
    static let school12 = "КГУ «Общеобразовательная средняя школа №12» города Семей"
    static let beskaragai = "Бесқарағай ауданы"
    static let schoolBeskaragai = "«Бесқарағай жалпы білім беретін мектебі» КММ"
    static let taraz = "г. Тараз"
    static let schoolTaraz = "КГУ «Школа-лицей №5»"
    static let since = Date(timeIntervalSince1970: 1_763_700_000)  // 2025-11-21 04:40 UTC

    static let frozen = StatusReasonText(code: "picture.frozen", severity: "failure", text: "Изображение не меняется (кадр застыл)")
    static let noSignal = StatusReasonText(
        code: "picture.uniform", severity: "failure", text: "Нет сигнала с камеры (однотонное изображение)")
    static let refused = StatusReasonText(code: "probe.refused", severity: "failure", text: "Камера не принимает подключение")
    static let lowResolution = StatusReasonText(
        code: "resolution.below_minimum", severity: "violation", text: "Разрешение 1280×720 ниже требуемого 1920×1080")

    static let cameras: [CameraStatus] = [
        CameraStatus(
            id: "semey12-cam01", region: abai, district: semey, school: school12, schoolBin: "123456789012",
            location: "Спортивный зал", host: "10.20.0.5", state: .down, since: since, reasons: [frozen],
            lastProbe: since.addingTimeInterval(600), codec: "h264", width: 1920, height: 1080, frameRate: 25),
        CameraStatus(
            id: "semey12-cam02", region: abai, district: semey, school: school12, schoolBin: "123456789012",
            location: "Главный вход", host: "10.20.0.5", state: .degraded, since: since, reasons: [lowResolution],
            lastProbe: since.addingTimeInterval(600), codec: "h264", width: 1280, height: 720, frameRate: 12.5),
        CameraStatus(
            id: "beskaragai-dvr-ch1", region: abai, district: beskaragai, school: schoolBeskaragai,
            location: "Дәліз", kind: .analog, host: "10.30.1.2", state: .down, since: since, reasons: [noSignal],
            affectedBy: nil, flapping: true, lastProbe: since, codec: "h264", width: 704, height: 576, frameRate: 25),
        CameraStatus(
            id: "beskaragai-dvr-ch2", region: abai, district: beskaragai, school: schoolBeskaragai,
            location: "Асхана", kind: .analog, host: "10.30.1.2", state: .down, since: since, reasons: [refused],
            affectedBy: "host 10.30.1.2 down", lastProbe: since),
        CameraStatus(
            id: "taraz5-cam01", region: zhambyl, district: taraz, school: schoolTaraz, location: "Коридор 2 этаж",
            host: "192.168.5.10", state: .up, since: since, lastProbe: since, codec: "h265", width: 2560, height: 1440,
            frameRate: 25),
        CameraStatus(
            id: "taraz5-cam02", region: zhambyl, district: taraz, school: schoolTaraz, location: "Двор",
            host: "192.168.5.11", state: .unknown),
    ]

    static let report: ProbeReport = {
        var timing = StreamTiming()
        timing.frames = 50
        timing.span = 2
        timing.frameRate = 25
        timing.bitrate = 2_359_000
        timing.keyframes = 2
        timing.keyframeInterval = 1
        timing.keyframeIntervalFrames = 25
        return ProbeReport(
            target: "rtsp://***@10.20.0.5:554/Streaming/Channels/101", startedAt: since.addingTimeInterval(600),
            duration: 2.4, transport: "tcp", timings: PhaseTimings(resolved: 0, connected: 0.01, playing: 0.2, firstFrame: 0.3),
            video: VideoMeasurement(codec: "h264", width: 1920, height: 1080, resolutionSource: .sps, timing: timing),
            audioPresent: false)
    }()

    static let details: [String: CameraDetail] = [
        "semey12-cam01": CameraDetail(
            status: cameras[0], lastReport: report,
            history: [
                StateTransition(camera: "semey12-cam01", from: .unknown, to: .up, at: since.addingTimeInterval(-86400), reasons: []),
                StateTransition(camera: "semey12-cam01", from: .up, to: .down, at: since, reasons: [frozen]),
            ])
    ]
}

extension InMemoryStatusSource {
    func events(_ query: EventQuery) async throws -> OutboxPage {
        if state.withLock({ $0.failing }) { throw StoreBroken() }
        return OutboxPage(events: [], next: nil, outbox: OutboxStats(events: 0, pending: [:], limit: 1000))
    }
}

import CamProbeCore
import Foundation
import GRDB
@testable import Store
import Synchronization

/// A fresh directory under the system's temporary directory, removed (with the
/// database in it) when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("camprobe-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Counts the write transactions committed on the store's writer connection.
final class CommitCounter: TransactionObserver, Sendable {
    private let count = Mutex(0)
    var commits: Int { count.withLock { $0 } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { count.withLock { $0 += 1 } }
    func databaseDidRollback(_ db: Database) {}
}

/// 2025-09-01 (the first school day) at `hour:minute` UTC, plus `day` days.
func at(day: Int = 0, _ hour: Int, _ minutes: Int = 0, _ seconds: Int = 0) -> Date {
    let offset: Int = day * 86_400 + hour * 3600 + minutes * 60 + seconds
    return Date(timeIntervalSince1970: Double(1_756_684_800 + offset))
}

let minute: Int64 = 60_000

func reason(_ code: String, _ severity: String = "failure") -> StatusReasonText {
    StatusReasonText(code: code, severity: severity, text: "text for \(code)")
}

/// A report like a real one: a 1080p H.264 stream with a picture.
func sampleReport(camera: String, at startedAt: Date, failed: Bool = false) -> ProbeReport {
    var timing = StreamTiming()
    timing.frames = 50
    timing.span = 1.96
    timing.frameRate = 25
    timing.bitrate = 4_012_345.5
    timing.keyframes = 2
    timing.keyframeInterval = 1.0
    timing.keyframeIntervalFrames = 25
    return ProbeReport(
        target: "rtsp://10.1.2.3:554/\(camera)/main",
        startedAt: startedAt,
        duration: 2.345678,
        failure: failed ? ProbeFailure(.refused, phase: .connect, "connection refused") : nil,
        transport: "tcp",
        timings: PhaseTimings(resolved: 0.001, connected: 0.012, playing: 0.2, firstFrame: 0.31, firstKeyframe: 0.31),
        video: failed ? nil : VideoMeasurement(
            codec: "h264", profile: 100, width: 1920, height: 1080, resolutionSource: .sps,
            declaredFrameRate: 25, timing: timing),
        audioPresent: false,
        clockSkew: 0.125)
}

/// A transition and the update that records it, for `camera` entering `to` at `time`.
func change(
    _ camera: String, _ from: MonitorState, _ to: MonitorState, at time: Date,
    reasons: [StatusReasonText] = [], report: ProbeReport? = nil
) -> CameraUpdate {
    CameraUpdate(
        camera: camera, state: to, since: time, reasons: reasons, lastProbe: time, report: report,
        transition: StateTransition(camera: camera, from: from, to: to, at: time, reasons: reasons))
}

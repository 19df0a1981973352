import CamProbeCore
import Foundation
import Testing
@testable import Store

/// A camera's `since` reads the same after a restart as before it: the fleet
/// decides in whole milliseconds, as the store keeps them (it used to read one
/// second later: stored rounded, shown truncated).
struct RestartTimeTests {
    @Test func since_decidedJustBeforeASecondEnds_readsTheSameAfterARestart() throws {
        let camera = Camera(
            id: "cam-1", region: "R", district: "D", school: School(name: "S"),
            mainStream: "rtsp://10.0.0.1/live", profile: "digital-main")
        var fleet = FleetState(cameras: [camera], restored: [:], machine: .default, fleetGuard: .default)
        var timing = StreamTiming()
        timing.frameRate = 25
        let report = ProbeReport(
            target: "rtsp://10.0.0.1/live", startedAt: Date(),
            video: VideoMeasurement(codec: "h264", width: 1920, height: 1080, resolutionSource: .sps, timing: timing))
        // 10.9996 s past a whole second: rounded to the millisecond it would be the next second.
        let time = Date(timeIntervalSince1970: 1_764_000_010.9996)
        let decision = fleet.decide(report, camera: camera.id, profile: .digitalMain, at: time, events: EventBuilder(instance: "t", language: .en))
        let status = try #require(decision.status)
        let since = try #require(status.since)
        #expect(since.timeIntervalSince1970 < 1_764_000_011)

        let directory = try TemporaryDirectory()
        try StateStore(directory: directory.path).record(
            CameraUpdate(status: status, report: nil, transition: decision.transition))
        let restored = try #require(try StateStore(directory: directory.path).states()[camera.id])
        #expect(restored.since == since)
        let shown = Date.ISO8601FormatStyle().format
        #expect(shown(try #require(restored.since)) == shown(since))
        #expect(shown(since) == "2025-11-24T16:00:10Z")
    }
}

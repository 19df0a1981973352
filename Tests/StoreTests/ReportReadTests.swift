import CamProbeCore
import Foundation
@testable import Store
import Testing

/// What a report reads at region scale, on a real SQLite file and real snapshot
/// files: the cheap paths must give exactly what the full ones give.
@Suite("Report reads on a real store")
struct ReportReadTests {
    @Test func reportStates_layTheSameStatusOverTheInventoryAsTheFullRows() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        var odd = sampleReport(camera: "odd", at: at(9))
        odd.video?.timing.frameRate = .nan  // stored as the string "NaN"
        var noRate = sampleReport(camera: "no-rate", at: at(9))
        noRate.video?.timing.frameRate = nil
        noRate.video?.width = nil
        try store.record([
            change("up", .unknown, .up, at: at(9), report: sampleReport(camera: "up", at: at(9))),
            change("failed", .unknown, .down, at: at(9), reasons: [reason("probe.refused")],
                   report: sampleReport(camera: "failed", at: at(9), failed: true)),
            change("odd", .unknown, .degraded, at: at(9), reasons: [reason("framerate.below_minimum", "violation")], report: odd),
            change("no-rate", .unknown, .up, at: at(9), report: noRate),
            change("never-reported", .unknown, .down, at: at(9), reasons: [reason("probe.timeout")]),
        ])
        var flagged = change("up", .up, .up, at: at(10))
        flagged.transition = nil
        flagged.affectedBy = "host:10.1.2.3"
        flagged.flapping = true
        try store.record(flagged)  // no report: the last one stays

        let full = try store.states()
        let cheap = try store.reportStates()
        #expect(Set(cheap.keys) == Set(full.keys) && cheap.count == 5)
        for (camera, row) in full {
            // An inventory status that already has measured values: a failed report clears them.
            var base = CameraStatus(id: camera, region: "Жамбыл облысы", district: "Тараз", school: "№ 1", host: "10.1.2.3")
            base.codec = "mpeg4"
            base.width = 640
            let expected = row.applied(to: base)
            let got = try #require(cheap[camera]).applied(to: base)
            if camera == "odd" {
                #expect(got.frameRate?.isNaN == true && expected.frameRate?.isNaN == true)
                #expect({ var g = got; g.frameRate = nil; var e = expected; e.frameRate = nil; return g == e }())
            } else {
                #expect(got == expected, "camera \(camera)")
            }
        }
        #expect(cheap["up"]?.applied(to: CameraStatus(id: "up", region: "", district: "", school: "", host: "")).width == 1920)
        #expect(cheap["failed"]?.hasReport == true && cheap["failed"]?.codec == nil)
        #expect(cheap["never-reported"]?.hasReport == false)
        #expect(cheap["up"]?.row.flapping == true && cheap["up"]?.row.affectedBy == "host:10.1.2.3")
    }

    @Test func consecutive_isTheAvailabilityOfEachPeriod_fromOnePass() {
        let transitions = [
            StateTransition(camera: "c", from: .unknown, to: .up, at: at(day: -3, 8), reasons: []),
            StateTransition(camera: "c", from: .up, to: .down, at: at(day: 0, 23, 30), reasons: []),
            StateTransition(camera: "c", from: .down, to: .up, at: at(day: 2, 0), reasons: []),  // on a bound
            StateTransition(camera: "c", from: .up, to: .degraded, at: at(day: 2, 0), reasons: []),  // same instant
            StateTransition(camera: "c", from: .degraded, to: .down, at: at(day: 3, 12), reasons: []),
        ]
        let bounds = (0...5).map { at(day: $0, 0) }
        let now = at(day: 4, 6)  // the last period reaches past now
        let parts = Availability.consecutive(camera: "c", transitions: transitions, bounds: bounds, now: now)
        #expect(parts.count == 5)
        for (index, part) in parts.enumerated() {
            let one = Availability(camera: "c", transitions: transitions, from: bounds[index], to: bounds[index + 1], now: now)
            #expect(part == one, "period \(index)")
        }
        #expect(parts[1].downMilliseconds == 86_400_000 && parts[1].outages.first?.beganBeforePeriod == true)
        #expect(parts[4].unknownMilliseconds == 18 * 3_600_000)  // after now
        #expect(Availability.consecutive(camera: "c", transitions: [], bounds: bounds, now: now).allSatisfy { $0.observedMilliseconds == 0 })
        #expect(Availability.consecutive(camera: "c", transitions: transitions, bounds: [bounds[0]], now: now).isEmpty)
    }

    @Test func snapshotInfo_isTheReadPicturesSizeAndTime_withoutReadingIt() throws {
        let directory = try TemporaryDirectory()
        let snapshots = try SnapshotStore(stateDirectory: directory.path)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x11, count: 2000) + [0xFF, 0xD9]
        let taken = at(11, 15, 30)
        let snapshot = try #require(Snapshot(jpeg: jpeg, width: 320, height: 180, takenAt: taken))
        try snapshots.save(snapshot, camera: "cam/1", stateChanged: true)
        let info = try #require(snapshots.info(camera: "cam/1", kind: .latest))
        let read = try #require(snapshots.read(camera: "cam/1", kind: .latest))
        #expect(info.bytes == read.jpeg.count && info.bytes == jpeg.count)
        #expect(info.takenAt == read.takenAt && abs(info.takenAt.timeIntervalSince(taken)) < 0.001)
        #expect(snapshots.info(camera: "cam/1", kind: .change)?.bytes == jpeg.count)
        #expect(snapshots.info(camera: "nobody", kind: .latest) == nil)
        // Not a plausible snapshot (over the limit): neither path admits it.
        let big = directory.path + "/snapshots/big.latest.jpg"
        _ = FileManager.default.createFile(atPath: big, contents: Data([0xFF, 0xD8] + Array(repeating: 0, count: Snapshot.maximumBytes)))
        #expect(snapshots.info(camera: "big", kind: .latest) == nil && snapshots.read(camera: "big", kind: .latest) == nil)
    }
}

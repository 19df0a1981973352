import CamProbeCore
import Foundation
import Testing

@Suite struct StreamStatusTests {
    func report(flags: [PictureFlag] = [], gaps: Int = 0, failure: ProbeFailure? = nil) throws -> ProbeReport {
        var report = ProbeReport(target: "rtsp://cam/1", startedAt: Date(timeIntervalSince1970: 0), failure: failure)
        var timing = StreamTiming()
        timing.gaps = gaps
        timing.longestGap = gaps > 0 ? 0.6 : 0.04
        report.video = VideoMeasurement(codec: "h264", width: 1920, height: 1080, timing: timing)
        let thumbnail = try LumaThumbnail(width: 4, height: 4, pixels: [UInt8](repeating: 100, count: 16))
        report.picture = PictureReport(statistics: PictureStatistics(thumbnail), flags: flags, decodedKeyframes: 1, keyframeDifference: nil)
        return report
    }

    @Test func healthyStream_isUp() throws {
        let report = try report()
        #expect(report.status == .up)
        #expect(report.reasons.isEmpty)
    }

    @Test(arguments: [(PictureFlag.black, "picture.black"), (.uniform, "picture.uniform"), (.frozen, "picture.frozen")])
    func deadPicture_isDown(flag: PictureFlag, code: String) throws {
        let report = try report(flags: [flag])
        #expect(report.status == .down)
        #expect(report.reasons.map(\.reason.code) == [code])
    }

    @Test func blurredPicture_isDegraded() throws {
        #expect(try report(flags: [.blurred]).status == .degraded)
    }

    @Test func gaps_areDegradedWithTheLongestNamed() throws {
        let report = try report(gaps: 2)
        #expect(report.status == .degraded)
        #expect(report.reasons.first?.reason.message == "2 gap(s) between frames, longest 600 ms")
    }

    @Test func failure_isDownWithQualifiedCode() throws {
        let report = try report(failure: ProbeFailure(.timeout, phase: .handshake, "no answer"))
        #expect(report.status == .down)
        #expect(report.reasons.map(\.reason.code) == ["timeout.handshake"])
    }
}

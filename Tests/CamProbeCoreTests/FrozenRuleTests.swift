import CamProbeCore
import Foundation
import Testing

/// The frozen rule as the policy applies it to a probe's evidence: every comparison
/// unchanged (mean and largest cell) and a static stream (empty non-key frames).
@Suite struct FrozenRuleTests {
    let thresholds = PictureThresholds()

    static let signature = PictureSignature(cells: [UInt8](repeating: 120, count: PictureSignature.cellCount))!

    /// A 1080p report with a detailed picture, the given comparisons and non-key frame size.
    static func report(comparisons: [PictureComparison], deltaFrameBytes: Int?) -> ProbeReport {
        var timing = StreamTiming()
        timing.frames = 50
        timing.span = 2
        timing.frameRate = 25
        timing.bitrate = 2_700_000
        timing.keyframes = 2
        timing.keyframeInterval = 2
        timing.keyframeIntervalFrames = 50
        timing.deltaFrames = deltaFrameBytes == nil ? nil : 48
        timing.deltaFrameBytes = deltaFrameBytes
        timing.quietFrameBytes = deltaFrameBytes
        let statistics = PictureStatistics(
            meanLuma: 118, lumaSpread: 48, darkShare: 0.04, sharpness: 2.05, laplacianVariance: 100, signature: signature)
        let flags = PictureThresholds().assess(
            statistics, comparisons: comparisons,
            quietFrameBytesPerMegapixel: deltaFrameBytes.map { Double($0) / 2.0736 })
        return ProbeReport(
            target: "rtsp://127.0.0.1:8554/scene", startedAt: Date(timeIntervalSince1970: 1_700_000_000), transport: "tcp",
            video: VideoMeasurement(codec: "h264", width: 1920, height: 1080, resolutionSource: .sps, declaredFrameRate: 25, timing: timing),
            picture: PictureReport(
                statistics: statistics, flags: flags, decodedKeyframes: 2, keyframeDifference: comparisons.first?.difference,
                comparisons: comparisons))
    }

    static let same = PictureComparison(reference: .earlierKeyframe, difference: 0.0002, largestChange: 1)
    static let samePrevious = PictureComparison(reference: .previousProbe, difference: 0.0003, largestChange: 5)
    /// An OSD clock's seconds digit: one cell moved by 25 codes, the mean by nothing.
    static let clockTicked = PictureComparison(reference: .earlierKeyframe, difference: 0.0001, largestChange: 25)

    func evaluate(_ report: ProbeReport, profile: PolicyProfile = .digitalMain) -> Verdict {
        PolicyEvaluator(profile: profile).evaluate(main: report)
    }

    @Test func hungCamera_sameKeyframesAndEmptyDeltaFrames_isFrozen() throws {
        // A hung camera: 30 bytes per non-key frame at 1080p (14 B/Mpx), keyframes the same.
        let report = Self.report(comparisons: [Self.same], deltaFrameBytes: 30)
        #expect(report.picture?.flags == [.frozen])
        let verdict = evaluate(report)
        #expect(verdict.state == .down)
        #expect(verdict.reasons.map(\.code) == [.pictureFrozen])
        let reason = try #require(verdict.reasons.first)
        #expect(reason.measured == "unchanged since an earlier keyframe (largest change 1), non-key frames 14 B/Mpx")
        #expect(reason.parameters["compared_with"] == "earlier_keyframe")
    }

    @Test func stillSceneWithSensorNoise_sameCellsButFullDeltaFrames_isUp() {
        // The cells cannot see noise; the encoder can: 6 KB per non-key frame.
        let report = Self.report(comparisons: [Self.same, Self.samePrevious], deltaFrameBytes: 6_000)
        #expect(report.picture?.flags == [])
        #expect(evaluate(report).state == .up)
    }

    @Test func stillSceneWithTickingClock_staticStreamButChangedCell_isUp() {
        // Denoised still scene: almost every non-key frame is empty, but the clock moved one cell.
        let report = Self.report(comparisons: [Self.clockTicked, Self.samePrevious], deltaFrameBytes: 25)
        #expect(report.picture?.flags == [])
        #expect(evaluate(report).state == .up)
    }

    @Test func frozen_needsEveryComparisonToAgree() {
        let changedSincePrevious = PictureComparison(reference: .previousProbe, difference: 0.0002, largestChange: 20)
        #expect(!thresholds.frozen(comparisons: [Self.same, changedSincePrevious], quietFrameBytesPerMegapixel: 10))
        #expect(thresholds.frozen(comparisons: [Self.same, Self.samePrevious], quietFrameBytesPerMegapixel: 10))
        // Nothing to compare with: never frozen.
        #expect(!thresholds.frozen(comparisons: [], quietFrameBytesPerMegapixel: 10))
        // A global change (exposure) moves the mean even when no cell moves much: in an
        // intra-only stream that is change…
        let exposure = PictureComparison(reference: .earlierKeyframe, difference: 0.004, largestChange: 2)
        #expect(!thresholds.frozen(comparisons: [exposure], quietFrameBytesPerMegapixel: nil))
        // …in a static stream only the encoder re-quantising the same frame (a live change
        // would have filled the non-key frames): still frozen.
        #expect(thresholds.frozen(comparisons: [exposure], quietFrameBytesPerMegapixel: 10))
        // An intra-only stream (no non-key frames): the pictures alone decide.
        #expect(thresholds.frozen(comparisons: [Self.same], quietFrameBytesPerMegapixel: nil))
    }

    @Test func thresholdsAreTheDocumentedDefaults() {
        #expect(thresholds.frozenDifference == 0.002)
        #expect(thresholds.frozenChange == 12)
        #expect(thresholds.staticFrameBytes == 150)
        #expect(thresholds.noSignalFlatShare == 0.6)
        #expect(thresholds.isStatic(quietFrameBytesPerMegapixel: 150) == true)
        #expect(thresholds.isStatic(quietFrameBytesPerMegapixel: 151) == false)
        #expect(thresholds.isStatic(quietFrameBytesPerMegapixel: nil) == nil)
    }

    @Test func profileThresholdsRejudgeTheEvidence() {
        let report = Self.report(comparisons: [Self.clockTicked], deltaFrameBytes: 25)
        var blunt = PolicyProfile.digitalMain
        blunt.picture = PictureThresholds(frozenChange: 30)
        #expect(evaluate(report, profile: blunt).reasons.map(\.code) == [.pictureFrozen])
        var strictStatic = PolicyProfile.digitalMain
        strictStatic.picture = PictureThresholds(staticFrameBytes: 5)
        #expect(evaluate(Self.report(comparisons: [Self.same], deltaFrameBytes: 30), profile: strictStatic).state == .up)
    }

    @Test func reportsStoredBeforeTheEvidenceExisted_stillDecode() throws {
        let old = #"{"statistics":{"meanLuma":1,"lumaSpread":0,"darkShare":0,"sharpness":0,"laplacianVariance":0,"signature":"\#(Self.signature)"},"flags":["frozen"],"decodedKeyframes":1}"#
        let picture = try JSONDecoder().decode(PictureReport.self, from: Data(old.utf8))
        #expect(picture.comparisons.isEmpty)
        #expect(picture.statistics.flatShare == 0)
        let timing = try JSONDecoder().decode(StreamTiming.self, from: Data(#"{"frames":3,"span":1,"gaps":0,"keyframes":1}"#.utf8))
        #expect(timing.deltaFrameBytes == nil && timing.quietFrameBytes == nil)
    }
}

@Suite struct PictureComparisonTests {
    func thumbnail(_ change: (Int, Int) -> Int = { _, _ in 0 }) throws -> LumaThumbnail {
        var pixels = [UInt8](repeating: 0, count: 320 * 180)
        for y in 0..<180 { for x in 0..<320 { pixels[y * 320 + x] = UInt8(60 + (x * 3 + y) % 120 + change(x, y)) } }
        return try LumaThumbnail(width: 320, height: 180, pixels: pixels)
    }

    @Test func aDigitChangingSeesItsBlock_whileTheMeanDoesNot() throws {
        let before = try thumbnail()
        // One 1-pixel-wide stroke of a digit turned on over 5 thumbnail rows (a 1080p OSD digit).
        let after = try thumbnail { x, y in x == 21 && (8..<12).contains(y) ? 80 : 0 }
        let comparison = PictureComparison(after, against: before, sourceWidth: 1920, reference: .earlierKeyframe)
        #expect(comparison.difference < 0.0001)
        // At 1080p a block is 2×2 thumbnail pixels: 2 of its 4 moved by 80, its mean by 40.
        #expect(comparison.largestChange == 40)
        #expect(!PictureThresholds().unchanged(comparison))
    }

    @Test func reEncodingNoise_leavesEveryBlockWithinACode() throws {
        let before = try thumbnail()
        let after = try thumbnail { x, y in x % 2 == 0 && y % 2 == 0 ? 1 : 0 }
        let comparison = PictureComparison(after, against: before, sourceWidth: 1920, reference: .earlierKeyframe)
        #expect(comparison.largestChange <= 1)
        #expect(PictureThresholds().unchanged(comparison))
    }

    @Test func thumbnailsOfDifferentSizes_areComparedByTheirSignatures() throws {
        let wide = try thumbnail()
        let small = try LumaThumbnail(width: 160, height: 90, pixels: [UInt8](repeating: 100, count: 160 * 90))
        let comparison = PictureComparison(small, against: wide, sourceWidth: 1920, reference: .earlierKeyframe)
        #expect(comparison == PictureComparison(PictureSignature(small), against: PictureSignature(wide), reference: .earlierKeyframe))
    }
}

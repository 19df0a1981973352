@testable import CamProbeCore
import Testing

@Suite struct StreamTimelineTests {
    /// Frames every `interval` seconds, a keyframe every `gop` frames.
    func timeline(frames: Int, interval: Double, gop: Int, bytes: Int = 1000, skipping: Set<Int> = []) -> StreamTimeline {
        var timeline = StreamTimeline()
        for i in 0..<frames where !skipping.contains(i) {
            timeline.addFrame(pts: Double(i) * interval, bytes: bytes, keyframe: i % gop == 0)
        }
        return timeline
    }

    @Test func summary_constantStream_givesRateGOPAndBitrate() throws {
        let summary = timeline(frames: 51, interval: 0.04, gop: 25).summary()
        #expect(summary.frames == 51)
        #expect(abs(summary.span - 2.0) < 1e-9)
        #expect(abs(try #require(summary.frameRate) - 25) < 1e-9)
        #expect(summary.gaps == 0)
        #expect(summary.keyframes == 3)
        #expect(abs(try #require(summary.keyframeInterval) - 1.0) < 1e-9)
        #expect(summary.keyframeIntervalFrames == 25)
        // 51 frames of 1000 bytes over 51 intervals of 40 ms = 200 kbit/s
        #expect(abs(try #require(summary.bitrate) - 200_000) < 1e-6)
    }

    @Test func summary_12_5fps() throws {
        let summary = timeline(frames: 26, interval: 0.08, gop: 25).summary()
        #expect(abs(try #require(summary.frameRate) - 12.5) < 1e-9)
        #expect(summary.keyframeIntervalFrames == 25)
        #expect(abs(try #require(summary.keyframeInterval) - 2.0) < 1e-9)
    }

    @Test func summary_missingFrames_countsGapsLongerThanThreeIntervals() throws {
        // Frames 10–13 lost: one 200 ms hole in a 40 ms stream.
        let summary = timeline(frames: 50, interval: 0.04, gop: 25, skipping: [10, 11, 12, 13]).summary()
        #expect(summary.gaps == 1)
        #expect(abs(try #require(summary.longestGap) - 0.2) < 1e-9)
        #expect(abs(try #require(summary.frameRate) - 25) < 1e-9)
    }

    @Test func summary_oneKeyframe_hasNoInterval() {
        let summary = timeline(frames: 20, interval: 0.04, gop: 100).summary()
        #expect(summary.keyframes == 1)
        #expect(summary.keyframeInterval == nil)
        #expect(summary.keyframeIntervalFrames == nil)
    }

    @Test func summary_singleFrame_hasNoRate() {
        let summary = timeline(frames: 1, interval: 0.04, gop: 25).summary()
        #expect(summary.frames == 1)
        #expect(summary.frameRate == nil)
        #expect(summary.bitrate == nil)
    }

    @Test func medianInterval_ignoresRepeatedTimestamps() throws {
        var timeline = StreamTimeline()
        for pts in [0.0, 0.04, 0.08, 0.08, 0.12, 0.16] {
            timeline.addFrame(pts: pts, bytes: 10, keyframe: false)
        }
        #expect(abs(try #require(timeline.medianFrameInterval) - 0.04) < 1e-9)
    }

    /// 25 fps, GOP 50: the picture-data bytes of each frame after the keyframe at 0.
    func timeline(pictureBytes: (Int) -> Int) -> StreamTiming {
        var timeline = StreamTimeline()
        for frame in 0..<100 {
            let key = frame % 50 == 0
            timeline.addFrame(pts: Double(frame) / 25, bytes: key ? 90_000 : pictureBytes(frame % 50) + 20, keyframe: key,
                              pictureBytes: key ? 90_000 : pictureBytes(frame % 50))
        }
        return timeline.summary()
    }

    @Test func hungEncoder_refinesAfterEachKeyframeThenGoesQuiet() {
        // x264 at CBR fed one frame: ~1 s of refinement after each keyframe, then skipped frames.
        let timing = timeline { $0 < 28 ? 9_000 : 65 }
        #expect(timing.deltaFrames == 98)
        #expect(timing.deltaFrameBytes == 65 || timing.deltaFrameBytes == 9_000)
        // Half a second (13 frames at 25 fps) of skipped frames: quiet.
        #expect(timing.quietFrameBytes == 65)
    }

    @Test func noisyStillSceneWithRepeatedFrames_neverGoesQuiet() {
        // A slow shutter at night: one new (noisy, 12 KB) frame in three, the others repeats.
        let timing = timeline { $0 % 3 == 0 ? 12_000 : 40 }
        // The median alone would call it static…
        #expect(timing.deltaFrameBytes == 40)
        // …but no half second passes without a real frame.
        #expect(timing.quietFrameBytes == 12_000)
    }

    @Test func quietRun_needsEnoughConsecutiveNonKeyFrames() {
        #expect(StreamTimeline.quietest([nil, 5, 5, 5, nil, 5, 5, 5], run: 4) == nil)
        #expect(StreamTimeline.quietest([nil, 9, 5, 5, 5, 5, 7], run: 4) == 5)
        #expect(StreamTimeline.quietest([1, 2, 3, 4, 5, 6], run: 4) == 4)
    }
}

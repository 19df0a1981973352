import CamProbeCore
import Foundation
import Testing

/// When a probe may carry the camera's last decoded picture instead of decoding
/// (`PictureCarry`), and what the daemon's fleet state keeps for it. The real
/// scenes (a fault never carried over a live picture) are in `SceneVerdictTests`.
@Suite struct PictureCarryTests {
    static let decodedAt = Date(timeIntervalSince1970: 1_700_000_000)

    /// A 1080p stream whose median non-key frame is `delta` bytes.
    static func stream(
        codec: String = "h264", width: Int? = 1920, height: Int? = 1080, delta: Int? = 12_000,
        picture: PictureReport? = nil
    ) -> ProbeReport {
        var report = Fleet.stream(codec: codec, width: width, height: height, picture: picture)
        report.video?.timing.deltaFrameBytes = delta
        return report
    }

    /// A decoded 1080p picture that showed nothing wrong, its keyframe 60,000
    /// bytes and its median non-key frame 12,000.
    static func decoded(
        bytes: Int? = 60_000, delta: Int? = 12_000, flags: [PictureFlag] = [], decodedKeyframes: Int = 1
    ) -> ProbeReport {
        var picture = Pictures.report(mean: 118, spread: 48, dark: 0.04, sharpness: 2.05, flags: flags)
        picture.decodedKeyframes = decodedKeyframes
        picture.keyframeBytes = bytes
        var report = stream(delta: delta, picture: picture)
        report.startedAt = decodedAt
        return report
    }

    static var last: DecodedPicture { DecodedPicture(of: decoded())! }

    static func allows(
        bytes: Int, video: VideoMeasurement? = stream().video, isStatic: Bool? = false,
        after seconds: Double = 300, maxAge: Double = 3600
    ) -> Bool {
        PictureCarry.allows(
            last, keyframeBytes: bytes, video: video, isStatic: isStatic, at: decodedAt + seconds, maxAge: maxAge)
    }

    @Test func aCleanDecodedPictureIsKept_withItsStreamAndKeyframe() throws {
        let last = try #require(DecodedPicture(of: Self.decoded()))
        #expect(last.keyframeBytes == 60_000 && last.deltaFrameBytes == 12_000)
        #expect(last.codec == "h264" && last.width == 1920 && last.height == 1080)
        #expect(last.decodedAt == Self.decodedAt)
    }

    @Test func nothingIsKept_whenThePictureShowedAFault_wasCarried_orHasNoKeyframeSize() {
        #expect(DecodedPicture(of: Self.decoded(flags: [.black])) == nil)
        #expect(DecodedPicture(of: Self.decoded(flags: [.blurred])) == nil)
        #expect(DecodedPicture(of: Self.decoded(decodedKeyframes: 0)) == nil)
        #expect(DecodedPicture(of: Self.decoded(bytes: nil)) == nil)
        #expect(DecodedPicture(of: Self.decoded(delta: nil)) == nil)
        #expect(DecodedPicture(of: Fleet.failed(.refused)) == nil)
        #expect(DecodedPicture(of: Self.stream(width: nil, height: nil, picture: Self.decoded().picture)) == nil)
    }

    @Test func aLiveStreamWithAKeyframeOfTheSameSize_carries() {
        #expect(Self.allows(bytes: 60_000))
        #expect(Self.allows(bytes: 51_000))  // −15 %
        #expect(Self.allows(bytes: 69_000))  // +15 %
    }

    /// What the faults the checks look for do to a 60 KB 1080p keyframe: a black or
    /// covered picture, a no-signal screen, a defocused lens (`SceneVerdictTests`
    /// measures them on the real scenes).
    @Test func aKeyframeThatChangedSize_isDecoded() {
        #expect(!Self.allows(bytes: 50_900))
        #expect(!Self.allows(bytes: 69_100))
        #expect(!Self.allows(bytes: 2_000))
        #expect(!Self.allows(bytes: 0))
    }

    /// The scenes `wall_1080p` and `covered_1080p` spend 39.8 and 38.5 KB on a
    /// keyframe, 13.0 and 8.6 KB on the frames between.
    @Test func nonKeyFramesThatChangedSize_areDecoded_evenWithTheKeyframeTheSame() {
        #expect(Self.allows(bytes: 60_000, video: Self.stream(delta: 9_000).video))  // −25 %
        #expect(Self.allows(bytes: 60_000, video: Self.stream(delta: 15_000).video))  // +25 %
        #expect(!Self.allows(bytes: 60_000, video: Self.stream(delta: 8_000).video))
        #expect(!Self.allows(bytes: 60_000, video: Self.stream(delta: 15_100).video))
        #expect(!Self.allows(bytes: 60_000, video: Self.stream(delta: nil).video))
    }

    @Test func aStaticOrUnjudgedStream_isDecoded_forItMayBeFrozen() {
        #expect(!Self.allows(bytes: 60_000, isStatic: true))
        #expect(!Self.allows(bytes: 60_000, isStatic: nil))
    }

    @Test func anotherStream_isDecoded() {
        #expect(!Self.allows(bytes: 60_000, video: Self.stream(width: 704, height: 576).video))
        #expect(!Self.allows(bytes: 60_000, video: Self.stream(codec: "hevc").video))
        #expect(!Self.allows(bytes: 60_000, video: Self.stream(width: nil, height: nil).video))
        #expect(!Self.allows(bytes: 60_000, video: nil))
    }

    @Test func aPictureOlderThanTheRefreshAge_orFromTheFuture_isDecoded() {
        #expect(Self.allows(bytes: 60_000, after: 3599))
        #expect(!Self.allows(bytes: 60_000, after: 3600))
        #expect(!Self.allows(bytes: 60_000, after: -1))
    }

    /// A clean decode at another size, 60 s after `last`: the sizes of both count.
    static func decodedAgain(bytes: Int, delta: Int, after seconds: Double = 60) -> DecodedPicture {
        var report = decoded(bytes: bytes, delta: delta)
        report.startedAt = decodedAt + seconds
        return DecodedPicture(of: report)!.following(last)
    }

    @Test func earlierCleanDecodesOfTheSameStream_areRemembered_upToThree() throws {
        var picture = Self.last
        for step in 1...5 {
            var report = Self.decoded(bytes: 60_000 + step * 20_000)
            report.startedAt = Self.decodedAt + Double(step)
            picture = try #require(DecodedPicture(of: report)).following(picture)
        }
        #expect(picture.keyframeBytes == 160_000)
        #expect(picture.earlier.map(\.keyframeBytes) == [140_000, 120_000, 100_000])
        var other = Self.decoded()
        other.video?.width = 704
        other.video?.height = 576
        #expect(try #require(DecodedPicture(of: other)).following(picture).earlier.isEmpty)
    }

    /// An encoder whose keyframes alternate between ~100 and ~68 KB (the replayed
    /// region's 1080p clip): once both sizes decoded clean, both carry.
    @Test func aKeyframeTheSizeOfAnEarlierCleanDecode_carries_whileThatDecodeIsYoung() {
        let picture = Self.decodedAgain(bytes: 100_000, delta: 12_000)
        let video = Self.stream().video
        let at = Self.decodedAt + 600
        #expect(PictureCarry.allows(picture, keyframeBytes: 98_000, video: video, isStatic: false, at: at, maxAge: 3600))
        #expect(PictureCarry.allows(picture, keyframeBytes: 61_000, video: video, isStatic: false, at: at, maxAge: 3600))
        #expect(!PictureCarry.allows(picture, keyframeBytes: 80_000, video: video, isStatic: false, at: at, maxAge: 3600))
        // The 60 KB decode is 3,600 s old at 3,600 s; the 100 KB one, 60 s younger, still counts.
        let later = Self.decodedAt + 3600
        #expect(!PictureCarry.allows(picture, keyframeBytes: 61_000, video: video, isStatic: false, at: later, maxAge: 3600))
        #expect(PictureCarry.allows(picture, keyframeBytes: 98_000, video: video, isStatic: false, at: later, maxAge: 3600))
    }

    @Test func theCarriedPicture_saysWhenItWasDecoded_andComparesNothing() {
        let carried = PictureCarry.carried(Self.last, keyframeBytes: 58_000)
        #expect(carried.carriedFrom == Self.decodedAt)
        #expect(carried.decodedKeyframes == 0)
        #expect(carried.keyframeBytes == 58_000)
        #expect(carried.flags.isEmpty && carried.comparisons.isEmpty && carried.keyframeDifference == nil)
        #expect(carried.statistics == Self.last.picture.statistics)
    }

    @Test func theCarriedPicture_survivesTheStoresJSON() throws {
        let carried = PictureCarry.carried(Self.last, keyframeBytes: 58_000)
        let decoded = try JSONDecoder().decode(PictureReport.self, from: JSONEncoder().encode(carried))
        #expect(decoded == carried)
    }

    /// The fleet state keeps the last decoded clean picture across carried probes and
    /// forgets it when a probe decodes a fault or fails.
    @Test func theFleetKeepsTheLastDecodedPicture_untilAFaultOrAFailure() {
        let camera = ProbeDecisionTests.dvrCamera(1)
        var fleet = ProbeDecisionTests.fleet([camera])
        let events = ProbeDecisionTests.builder()
        var at = Self.decodedAt
        func probe(_ report: ProbeReport) {
            var report = report
            report.startedAt = at
            _ = fleet.decide(report, camera: camera.id, profile: .digitalMain, at: at, events: events)
            at += 300
        }
        probe(Self.decoded())
        #expect(fleet.decodedPictures[camera.id]?.decodedAt == Self.decodedAt)
        probe(Self.stream(picture: PictureCarry.carried(Self.last, keyframeBytes: 61_000)))
        #expect(fleet.decodedPictures[camera.id]?.decodedAt == Self.decodedAt)
        #expect(fleet.decodedPictures[camera.id]?.keyframeBytes == 60_000)
        var bigger = Self.decoded(bytes: 90_000)
        bigger.startedAt = at
        probe(bigger)
        #expect(fleet.decodedPictures[camera.id]?.keyframeBytes == 90_000)
        #expect(fleet.decodedPictures[camera.id]?.earlier.map(\.keyframeBytes) == [60_000])
        probe(Self.decoded(bytes: 3_000, flags: [.black]))
        #expect(fleet.decodedPictures[camera.id] == nil)
        probe(Self.decoded())
        #expect(fleet.decodedPictures[camera.id] != nil)
        probe(Fleet.failed(.refused))
        #expect(fleet.decodedPictures[camera.id] == nil)
    }
}

import CamProbeCore
import Foundation
import Probe
import Testing

/// The daemon's carried pictures (`PictureCarry`) on the real scenes: a live
/// camera's next probes may skip decoding, and a camera whose picture went wrong
/// is always decoded and judged, never given its working picture's verdict.
extension SceneVerdictTests {
    /// The daemon's options (`Monitor.due`): one keyframe decoded, the earlier one
    /// only for a static stream, the last decoded picture carried up to an hour.
    static var daemonOptions: ProbeOptions {
        var options = ProbeOptions()
        options.maxDecodedKeyframes = 2
        options.earlierKeyframeOnlyWhenStatic = true
        options.pictureCarryAge = 3600
        return options
    }

    func daemonProbe(_ scene: String, after last: ProbeReport) async throws -> ProbeReport {
        let fleet = try await ReplayFleet.shared()
        let url = try StreamURL(parsing: try fleet.url(scene))
        return await Self.prober.probe(
            url, options: Self.daemonOptions, previousSignature: last.picture?.statistics.signature,
            lastDecoded: DecodedPicture(of: last))
    }

    /// A working camera facing a plain wall: keyframes of a steady size (39.8 KB at
    /// every GOP), busy non-key frames. Its probes carry the picture, and say so.
    @Test func liveCamera_probeAfterProbe_carriesItsPicture_andSaysWhenItWasDecoded() async throws {
        let expected = try #require(Self.live1080.first { $0.scene == "wall_1080p" })
        let first = try await probe(expected.scene)
        let decoded = try #require(DecodedPicture(of: first), "the first probe's picture is kept: \(evidence(first))")
        #expect(decoded.keyframeBytes > 30_000 && decoded.keyframeBytes < 50_000, "keyframe \(decoded.keyframeBytes) B")
        var carried = 0
        for round in 1...3 {
            let report = try await daemonProbe(expected.scene, after: first)
            try expectStream(report, expected)
            let picture = try #require(report.picture)
            #expect(picture.flags.isEmpty && codes(report, expected).isEmpty, "round \(round): \(evidence(report))")
            if let from = picture.carriedFrom {
                carried += 1
                #expect(from == first.startedAt)
                #expect(picture.decodedKeyframes == 0 && picture.comparisons.isEmpty)
                #expect(picture.statistics == first.picture?.statistics)
            } else {
                #expect(picture.decodedKeyframes >= 1)
            }
        }
        #expect(carried == 3, "a steady live scene carries its picture on every probe")
    }

    /// Each fault scene probed as the next probe of a working camera of the same
    /// stream kind (codec and size), with that camera's picture to carry: it is
    /// decoded, and read as the fault. `wall_1080p` → `covered_1080p` is the close
    /// one: their keyframes are within 4 % of each other, their non-key frames not.
    @Test(arguments: [
        ("wall_1080p", "covered_1080p"), ("still_noise_1080p", "covered_1080p"),
        ("sharp_1080p", "defocused_1080p"), ("still_noise_1080p", "nosignal_grey_1080p"),
        ("still_noise_1080p", "frozen_1080p"), ("still_noise_1080p", "frozen_osd_1080p"),
        ("still_noise_d1", "nosignal_blue_d1"), ("still_noise_d1", "nosignal_black_d1"), ("still_noise_d1", "frozen_d1"),
        ("still_noise_1080p_h265", "frozen_1080p_h265"),
    ])
    func faultAfterAWorkingPicture_isDecoded_neverCarried(_ pair: (String, String)) async throws {
        let (live, fault) = pair
        let working = try await probe(live)
        #expect(DecodedPicture(of: working) != nil, "\(live): \(evidence(working))")
        let report = try await daemonProbe(fault, after: working)
        let expected = try #require(Self.dead.first { $0.scene == fault })
        try expectStream(report, expected)
        let picture = try #require(report.picture)
        #expect(picture.carriedFrom == nil, "\(fault) after \(live) carried: \(evidence(report))")
        #expect(picture.decodedKeyframes >= 1)
        if expected.flags != [.frozen] {
            // A freeze needs a comparison with a picture of its own; the others show on this one.
            #expect(picture.flags == expected.flags, "\(fault): \(evidence(report))")
            #expect(codes(report, expected) == expected.reasons)
        }
    }
}

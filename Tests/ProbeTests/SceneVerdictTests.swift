import CamProbeCore
import Foundation
import Probe
import Testing

/// Picture verdicts on realistic scenes (`scripts/scenes.py`: a natural photograph with
/// sensor noise, OSD clocks, night IR, recorder NO VIDEO screens, hung cameras…) at
/// camera bitrates, replayed over RTSP by `scripts/replay-fleet.py`. Each scene is
/// judged in both modes the product uses: one probe that compares two keyframes of
/// its own window (`camprobe probe`), and a probe that compares with the previous
/// probe's picture (the daemon), asserting the verdict and its reason.
@Suite(.serialized)
struct SceneVerdictTests {
    static let prober = Prober(concurrency: 2)

    /// What a scene must read as.
    struct Expected: Sendable, CustomTestStringConvertible {
        let scene: String
        let width: Int
        let height: Int
        let codec: String
        let flags: [PictureFlag]
        /// The reason codes of the verdict under `profile`, in order; empty = up.
        let reasons: [ReasonCode]
        let profile: PolicyProfile

        var testDescription: String { scene }
    }

    static let live1080: [Expected] = [
        // A healthy camera on an empty corridor: still, but its sensor noise keeps the encoder busy.
        Expected(scene: "still_noise_1080p", width: 1920, height: 1080, codec: "h264", flags: [], reasons: [], profile: .digitalMain),
        // Still and denoised, with the camera's OSD clock ticking: the most common real picture.
        Expected(scene: "still_osd_1080p", width: 1920, height: 1080, codec: "h264", flags: [], reasons: [], profile: .digitalMain),
        // Night, IR: dim grey and noisy.
        Expected(scene: "night_ir_1080p", width: 1920, height: 1080, codec: "h264", flags: [], reasons: [], profile: .digitalMain),
        Expected(scene: "person_1080p", width: 1920, height: 1080, codec: "h264", flags: [], reasons: [], profile: .digitalMain),
        Expected(scene: "sharp_1080p", width: 1920, height: 1080, codec: "h264", flags: [], reasons: [], profile: .digitalMain),
        Expected(scene: "wall_1080p", width: 1920, height: 1080, codec: "h264", flags: [], reasons: [], profile: .digitalMain),
        Expected(scene: "still_noise_1080p_h265", width: 1920, height: 1080, codec: "hevc", flags: [], reasons: [], profile: .digitalMain),
        Expected(scene: "still_noise_d1", width: 704, height: 576, codec: "h264", flags: [], reasons: [], profile: .analogDVR),
    ]

    static let dead: [Expected] = [
        // A hung camera: the same input frame again and again.
        Expected(scene: "frozen_1080p", width: 1920, height: 1080, codec: "h264", flags: [.frozen], reasons: [.pictureFrozen], profile: .digitalMain),
        // Hung with its OSD clock frozen too.
        Expected(scene: "frozen_osd_1080p", width: 1920, height: 1080, codec: "h264", flags: [.frozen], reasons: [.pictureFrozen], profile: .digitalMain),
        Expected(scene: "frozen_1080p_h265", width: 1920, height: 1080, codec: "hevc", flags: [.frozen], reasons: [.pictureFrozen], profile: .digitalMain),
        Expected(scene: "frozen_d1", width: 704, height: 576, codec: "h264", flags: [.frozen], reasons: [.pictureFrozen], profile: .analogDVR),
        // A DVR's NO VIDEO screens with channel names and clocks: no signal, not frozen.
        Expected(scene: "nosignal_blue_d1", width: 704, height: 576, codec: "h264", flags: [.uniform], reasons: [.pictureUniform], profile: .analogDVR),
        Expected(scene: "nosignal_black_d1", width: 704, height: 576, codec: "h264", flags: [.uniform], reasons: [.pictureUniform], profile: .analogDVR),
        Expected(scene: "nosignal_grey_1080p", width: 1920, height: 1080, codec: "h264", flags: [.uniform], reasons: [.pictureUniform], profile: .digitalMain),
        // A covered lens: dark and noisy, its OSD clock still ticking.
        Expected(scene: "covered_1080p", width: 1920, height: 1080, codec: "h264", flags: [.black], reasons: [.pictureBlack], profile: .digitalMain),
        // Out of focus beside the sharp one: alive but degraded.
        Expected(scene: "defocused_1080p", width: 1920, height: 1080, codec: "h264", flags: [.blurred], reasons: [.pictureBlurred], profile: .digitalMain),
    ]

    func probe(_ scene: String, previous: PictureSignature? = nil) async throws -> ProbeReport {
        let fleet = try await ReplayFleet.shared()
        let url = try StreamURL(parsing: try fleet.url(scene))
        let options = ProbeOptions()
        let report = await Self.prober.probe(url, options: options, previousSignature: previous)
        #expect(report.duration <= ProbeBudget(start: 0, options: options).overall + 1, "probe of \(scene) took \(report.duration) s")
        return report
    }

    func codes(_ report: ProbeReport, _ expected: Expected) -> [ReasonCode] {
        let verdict = PolicyEvaluator(profile: expected.profile).evaluate(main: report)
        return verdict.reasons.filter { $0.severity != .info }.map(\.code)
    }

    /// The measurements every scene must read right before its picture is judged.
    func expectStream(_ report: ProbeReport, _ expected: Expected) throws {
        #expect(report.failure == nil, "\(expected.scene): \(report.failure?.message ?? "")")
        let video = try #require(report.video)
        #expect(video.codec == expected.codec)
        #expect(video.width == expected.width && video.height == expected.height)
        #expect(abs((video.timing.frameRate ?? 0) - 25) < 0.75)
        #expect(video.timing.deltaFrames ?? 0 >= 40, "\(expected.scene): non-key frames \(video.timing.deltaFrames ?? 0)")
    }

    // MARK: One probe, two keyframes of its window

    @Test(arguments: live1080 + dead)
    func oneProbe_comparingItsOwnKeyframes_readsTheSceneRight(_ expected: Expected) async throws {
        let report = try await probe(expected.scene)
        try expectStream(report, expected)
        let picture = try #require(report.picture)
        #expect(picture.flags == expected.flags, "\(expected.scene): \(picture.flags) \(evidence(report))")
        #expect(codes(report, expected) == expected.reasons, "\(expected.scene): \(evidence(report))")
        if expected.flags.isEmpty || expected.flags == [.frozen] || expected.flags == [.blurred] {
            // Two keyframes of the window were compared.
            #expect(picture.decodedKeyframes == 2)
            #expect(picture.comparisons.map(\.reference) == [.earlierKeyframe])
        }
    }

    // MARK: The daemon's mode: one keyframe, compared with the previous probe's picture

    @Test(arguments: live1080 + dead)
    func probeAfterProbe_comparingWithThePreviousPicture_readsTheSceneRight(_ expected: Expected) async throws {
        let first = try await probe(expected.scene)
        let previous = try #require(first.picture?.statistics.signature)
        for round in 1...2 {
            let report = try await probe(expected.scene, previous: previous)
            try expectStream(report, expected)
            let picture = try #require(report.picture)
            #expect(picture.flags == expected.flags, "\(expected.scene) round \(round): \(picture.flags) \(evidence(report))")
            #expect(codes(report, expected) == expected.reasons, "\(expected.scene) round \(round): \(evidence(report))")
            #expect(picture.comparisons.contains { $0.reference == .previousProbe })
            if expected.flags == [.frozen] {
                // Frozen rests on both: the previous probe's picture and an earlier keyframe of this window.
                #expect(picture.decodedKeyframes == 2)
                #expect(Set(picture.comparisons.map(\.reference)) == [.earlierKeyframe, .previousProbe])
            }
        }
    }

    // MARK: The evidence itself

    @Test func stillNoisyScene_hasFullNonKeyFrames_andAHungCameraEmptyOnes() async throws {
        let live = try #require(try await probe("still_noise_1080p").video?.quietFrameBytesPerMegapixel)
        let hung = try #require(try await probe("frozen_1080p").video?.quietFrameBytesPerMegapixel)
        let threshold = PictureThresholds().staticFrameBytes
        #expect(live > threshold * 5, "a noisy still scene's non-key frames: \(live) B/Mpx")
        #expect(hung < threshold / 2, "a hung camera's non-key frames: \(hung) B/Mpx")
    }

    @Test func tickingClock_movesOneCell_whileTheMeanStaysUnderTheFrozenDifference() async throws {
        let report = try await probe("still_osd_1080p")
        let comparison = try #require(report.picture?.comparisons.first)
        let thresholds = PictureThresholds()
        #expect(comparison.difference <= thresholds.frozenDifference, "mean difference \(comparison.difference)")
        #expect(Double(comparison.largestChange) > thresholds.frozenChange * 2, "largest change \(comparison.largestChange)")
        // Between ticks the denoised encoder has nothing to send: the stream alone looks static.
        #expect(try #require(report.video?.quietFrameBytesPerMegapixel) <= thresholds.staticFrameBytes)
    }

    @Test func noVideoScreen_isJudgedOnItsFlatArea_notItsSpread() async throws {
        let report = try await probe("nosignal_blue_d1")
        let stats = try #require(report.picture?.statistics)
        #expect(stats.lumaSpread > PictureThresholds().uniformSpread, "the text alone defeats a spread test: \(stats.lumaSpread)")
        #expect(stats.flatShare >= 0.8, "flat share \(stats.flatShare)")
        #expect(abs(stats.flatLevel - 39) <= 4, "blue (0,0,200) reads as luma \(stats.flatLevel)")
    }

    func evidence(_ report: ProbeReport) -> String {
        let s = report.picture?.statistics
        return "delta \(report.video?.quietFrameBytesPerMegapixel.map { Int($0) } ?? -1) B/Mpx, comparisons "
            + "\(report.picture?.comparisons.map { "\($0.reference.rawValue):\($0.difference)/\($0.largestChange)" } ?? []), "
            + "flat \(s?.flatShare ?? -1)@\(s?.flatLevel ?? -1), dark \(s?.darkShare ?? -1), spread \(s?.lumaSpread ?? -1), sharpness \(s?.sharpness ?? -1)"
    }
}

/// The real daemon (`camprobe run`) watching the scenes probe after probe: the live
/// still scenes stay up through every probe, the dead pictures go down with their
/// reason once enough probes in a row agree (`failures_to_down`).
extension SceneVerdictTests {
    @Test func daemon_acrossProbes_keepsStillScenesUp_andCallsDeadPicturesDownWithTheirReason() async throws {
        let fleet = try await ReplayFleet.shared()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-scenes-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let scenes: [(scene: String, state: String, reason: String?)] = [
            ("still_noise_1080p", "up", nil), ("still_osd_1080p", "up", nil), ("night_ir_1080p", "up", nil),
            ("person_1080p", "up", nil),
            ("frozen_1080p", "down", "picture.frozen"), ("frozen_osd_1080p", "down", "picture.frozen"),
            ("nosignal_blue_d1", "down", "picture.uniform"), ("covered_1080p", "down", "picture.black"),
        ]
        try """
            scenes:
              extends: digital-main
              min_width: 704
              min_height: 576
              interval: 3
            """.write(to: dir.appendingPathComponent("profiles.yaml"), atomically: true, encoding: .utf8)
        var inventory = "cameras:\n"
        for (index, entry) in scenes.enumerated() {
            // One school each: the fleet guard must not read the dead ones as a school outage.
            inventory += """
                  - id: \(entry.scene)
                    region: "Жамбыл облысы"
                    district: "Тараз"
                    school: "Мектеп №\(index + 1)"
                    url: "\(try fleet.url(entry.scene))"
                    profile: scenes

                """
        }
        try inventory.write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
        try """
            instance: scenes
            language: en
            inventory: [inventory.yaml]
            profiles: profiles.yaml
            probe:
              window: 2
              timeout: 3
            daemon:
              state_dir: \(dir.path)
              status_socket: \(dir.appendingPathComponent("status.sock").path)
              failures_to_down: 3
              successes_to_recover: 2
              sessions_per_host: 8
            """.write(to: dir.appendingPathComponent("camprobe.yaml"), atomically: true, encoding: .utf8)

        let daemon = try DaemonTests.Daemon(dir: dir)
        try await daemon.waitUntilServing()
        for entry in scenes where entry.state == "down" {
            let status = try await daemon.waitFor(entry.scene, timeout: 90) { $0["state"] as? String == "down" }
            let reasons = try #require(status["reasons"] as? [[String: Any]])
            #expect(reasons.first?["code"] as? String == entry.reason, "\(entry.scene): \(reasons)")
        }
        // By now every camera was probed several times (three probes at least for the
        // dead ones to go down): the live ones are up and never left up.
        for entry in scenes where entry.state == "up" {
            let status = try await daemon.waitFor(entry.scene, timeout: 30) { $0["state"] as? String == "up" }
            #expect(status["reasons"] as? [[String: Any]] == nil || (status["reasons"] as? [[String: Any]])?.isEmpty == true,
                    "\(entry.scene): \(status["reasons"] ?? "")")
            let detail = try #require(try daemon.get("/v1/cameras/\(entry.scene)") as? [String: Any])
            let history = try #require(detail["history"] as? [[String: Any]])
            #expect(history.map { $0["to"] as? String } == ["up"], "\(entry.scene) went through \(history)")
            // …and its last probe raised no picture flag at all (not even one short of down).
            let lastReport = try #require(detail["last_report"] as? [String: Any])
            let picture = try #require(lastReport["picture"] as? [String: Any])
            #expect(picture["flags"] as? [String] == [], "\(entry.scene): \(picture["flags"] ?? "") \(picture["comparisons"] ?? "") \(lastReport["video"] ?? "")")
            // Compared with the previous probe's picture, or that picture carried (the stream
            // live, its keyframe and non-key frames the same size: PictureCarry).
            let compared = (picture["comparisons"] as? [[String: Any]])?.contains { $0["reference"] as? String == "previous_probe" } == true
            #expect(compared || picture["carried_from"] is String, "\(entry.scene): \(picture)")
        }
        let stopped = try await daemon.stop()
        #expect(stopped.status == 0)
    }
}

import CamProbeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Probe
import Testing

/// The prober against real cameras: GStreamer's RTSP server on loopback,
/// serving what `scripts/fleet.py` says. Serialized: each probe measures a
/// live stream, and the fleet encodes 1080p in real time on a 2-core machine.
@Suite(.serialized)
struct FleetProbeTests {
    static let prober = Prober(concurrency: 2)

    func probe(_ camera: String, _ options: ProbeOptions = .default) async throws -> ProbeReport {
        let fleet = try await TestFleet.shared()
        let url = try StreamURL(parsing: try fleet.url(camera))
        let report = await Self.prober.probe(url, options: options)
        // No probe outlives its deadline by more than a second.
        let budget = ProbeBudget(start: 0, options: options)
        #expect(report.duration <= budget.overall + 1, "probe of \(camera) took \(report.duration) s")
        return report
    }

    func expectRate(_ measured: Double?, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let measured else {
            Issue.record("no frame rate measured", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(measured - expected) <= expected * 0.03, "measured \(measured) fps, expected \(expected) ±3%", sourceLocation: sourceLocation)
    }

    @Test func probe_h264_1080p25_readsCodecResolutionRateGOPAndPicture() async throws {
        let report = try await probe("h264_1080p25")
        #expect(report.failure == nil)
        let video = try #require(report.video)
        #expect(video.codec == "h264")
        #expect(video.width == 1920)
        #expect(video.height == 1080)
        #expect(video.resolutionSource == .sps)
        #expect(video.declaredFrameRate == 25)
        expectRate(video.timing.frameRate, 25)
        #expect(video.timing.keyframeIntervalFrames == 25)
        #expect(abs((video.timing.keyframeInterval ?? 0) - 1.0) < 0.01)
        #expect(video.timing.gaps == 0)
        // The fleet encodes at 2048 kbit/s; rate control keeps it within ±40 % over 2 s.
        let bitrate = try #require(video.timing.bitrate)
        #expect(bitrate > 2_048_000 * 0.6 && bitrate < 2_048_000 * 1.4, "bitrate \(bitrate)")
        #expect(report.audioPresent == false)
        #expect(report.transport == "tcp")
        let picture = try #require(report.picture)
        #expect(picture.flags.isEmpty)
        #expect(picture.decodedKeyframes == 2)
        #expect(picture.statistics.meanLuma > 60 && picture.statistics.meanLuma < 200)
        #expect(report.status == .up)
        let timings = report.timings
        #expect(try #require(timings.firstFrame) >= (timings.playing ?? 0))
        #expect(try #require(timings.firstKeyframe) >= (timings.firstFrame ?? 0))
    }

    @Test func probe_h265_1080p_readsHEVCResolutionFromSPS() async throws {
        let report = try await probe("h265_1080p25")
        let video = try #require(report.video)
        #expect(video.codec == "hevc")
        #expect(video.width == 1920)
        #expect(video.height == 1080)
        #expect(video.resolutionSource == .sps)
        expectRate(video.timing.frameRate, 25)
        #expect(report.picture?.flags == [])
        #expect(report.status == .up)
    }

    @Test func probe_720pAt12_5fps_measuresRateAndTwoSecondGOP() async throws {
        let report = try await probe("h264_720p12_5", ProbeOptions(window: 3))
        let video = try #require(report.video)
        #expect(video.width == 1280)
        #expect(video.height == 720)
        expectRate(video.timing.frameRate, 12.5)
        #expect(video.timing.keyframeIntervalFrames == 25)
        #expect(abs((video.timing.keyframeInterval ?? 0) - 2.0) < 0.01)
        #expect(report.status == .up)
    }

    @Test func probe_analogD1_reads704x576() async throws {
        let report = try await probe("h264_d1", ProbeOptions(window: 3))
        let video = try #require(report.video)
        #expect(video.width == 704)
        #expect(video.height == 576)
        expectRate(video.timing.frameRate, 25)
        #expect(video.timing.keyframeIntervalFrames == 50)
    }

    @Test func probe_5fpsCamera_measures5fps() async throws {
        let report = try await probe("h264_5fps")
        let video = try #require(report.video)
        expectRate(video.timing.frameRate, 5)
        #expect(video.timing.keyframeIntervalFrames == 5)
        #expect(video.timing.gaps == 0)
        #expect(report.status == .up)
    }

    @Test func probe_blackPicture_isDownWithBlack() async throws {
        let report = try await probe("black")
        #expect(report.failure == nil)
        let picture = try #require(report.picture)
        #expect(picture.flags == [.black])
        #expect(picture.statistics.darkShare >= 0.98)
        #expect(report.status == .down)
        #expect(report.reasons.map(\.reason.code) == ["picture.black"])
    }

    @Test func probe_blueNoSignalScreen_isDownWithUniform() async throws {
        let report = try await probe("nosignal_blue")
        let picture = try #require(report.picture)
        #expect(picture.flags == [.uniform])
        #expect(picture.statistics.lumaSpread < 4)
        #expect(report.status == .down)
    }

    @Test func probe_frozenPicture_isDownWithFrozenThoughFpsIsFine() async throws {
        let report = try await probe("frozen")
        expectRate(report.video?.timing.frameRate, 25)
        let picture = try #require(report.picture)
        #expect(picture.flags == [.frozen])
        #expect(picture.decodedKeyframes == 2)
        #expect(try #require(picture.keyframeDifference) <= PictureThresholds().frozenDifference)
        #expect(report.status == .down)
    }

    @Test func probe_movingPicture_isNotFrozen() async throws {
        let report = try await probe("h264_720p12_5", ProbeOptions(window: 3))
        let difference = try #require(report.picture?.keyframeDifference)
        #expect(difference > PictureThresholds().frozenDifference * 10)
    }

    @Test func probe_blurredPicture_isDegradedWithBlurred() async throws {
        let report = try await probe("blurred")
        let picture = try #require(report.picture)
        #expect(picture.flags == [.blurred])
        #expect(report.status == .degraded)
    }

    @Test func probe_whenCameraStalls_reportsStall() async throws {
        let options = ProbeOptions(window: 3, stallTimeout: 1.5)
        let report = try await probe("stalls", options)
        let failure = try #require(report.failure)
        #expect(failure.code == .stalled)
        #expect(failure.phase == .window)
        // It did stream for a while before stopping.
        #expect((report.video?.timing.frames ?? 0) >= 10)
        #expect(report.status == .down)
    }

    /// Sessions the fleet holds on one mount (other suites probe other mounts
    /// of the same fleet at the same time).
    func openSessions(_ mount: String) async throws -> Int {
        let fleet = try await TestFleet.shared()
        let url = URL(string: "http://127.0.0.1:\(fleet.description.httpPort)/sessions?path=/\(mount)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        let counts = try JSONDecoder().decode([String: Int].self, from: data)
        return (counts["rtsp"] ?? 0) + (counts["auth"] ?? 0)
    }

    /// The TEARDOWN is sent without waiting for its answer, so the server may
    /// need a moment to drop the session; without a TEARDOWN it would keep it for
    /// its 60 s session timeout, so a few seconds of polling still tell them apart.
    func sessionsAfterSettling(_ mount: String) async throws -> Int {
        let deadline = Date().addingTimeInterval(3)
        var count = try await openSessions(mount)
        while count > 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            count = try await openSessions(mount)
        }
        return count
    }

    @Test func probe_endsWithTeardown_leavingNoSessionOnTheCamera() async throws {
        #expect(try await sessionsAfterSettling("h264_720p12_5") == 0)
        let report = try await probe("h264_720p12_5")
        #expect(report.failure == nil)
        #expect(try await sessionsAfterSettling("h264_720p12_5") == 0)
        // Also when the probe ends in failure after the session was set up.
        let stalled = try await probe("stalls", ProbeOptions(window: 3, stallTimeout: 1))
        #expect(stalled.failure?.code == .stalled)
        #expect(try await sessionsAfterSettling("stalls") == 0)
    }

    @Test func probe_cameraWithAudio_reportsAudioPresent() async throws {
        let report = try await probe("with_audio")
        #expect(report.audioPresent == true)
        #expect(report.video?.codec == "h264")
        #expect(report.status == .up)
    }

    @Test func probe_withoutCredentials_isUnauthorized() async throws {
        let report = try await probe("auth_missing")
        #expect(report.failure?.code == .unauthorized)
        #expect(report.failure?.phase == .handshake)
    }

    @Test func probe_withWrongPassword_isUnauthorizedAndRedacted() async throws {
        let report = try await probe("auth_wrong")
        #expect(report.failure?.code == .unauthorized)
        #expect(report.target.hasPrefix("rtsp://***@127.0.0.1:"))
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!json.contains("wrong"))
        #expect(!json.contains("admin"))
    }

    @Test func probe_withCredentials_measuresAndNeverShowsThem() async throws {
        let report = try await probe("auth_ok")
        #expect(report.failure == nil)
        #expect(report.video?.width == 1280)
        #expect(report.target.hasPrefix("rtsp://***@127.0.0.1:"))
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!json.contains("s3cret"))
    }

    @Test func probe_wrongPath_isNotFound() async throws {
        let report = try await probe("not_found")
        #expect(report.failure?.code == .notFound)
    }

    @Test func probe_closedPort_isRefusedQuickly() async throws {
        let report = try await probe("closed")
        #expect(report.failure?.code == .refused)
        #expect(report.failure?.phase == .connect)
        #expect(report.duration < 1)
    }

    @Test func probe_portThatAcceptsAndNeverAnswers_timesOutInHandshakeOnTime() async throws {
        let options = ProbeOptions(phaseTimeout: 2)
        let report = try await probe("silent", options)
        let failure = try #require(report.failure)
        #expect(failure.code == .timeout)
        #expect(failure.phase == .handshake)
        #expect(failure.qualifiedCode == "timeout.handshake")
        #expect(report.duration >= 1.9)
        #expect(report.duration <= 2 + 1)
    }

    @Test func probe_recorderWithFullSessionSlots_isSessionLimit() async throws {
        let report = try await probe("busy")
        let failure = try #require(report.failure)
        #expect(failure.code == .sessionLimit)
        #expect(failure.message.contains("503"))
    }

    @Test func probe_webServerWhereCameraShouldBe_isNamedAtOnce() async throws {
        let report = try await probe("garbage", ProbeOptions(phaseTimeout: 1.5))
        let failure = try #require(report.failure)
        #expect(failure.qualifiedCode == "protocol")
        #expect(failure.message.contains("an HTTP server answered instead of a camera (HTTP/1.1 400 Bad Request)"), "\(failure.message)")
        #expect(report.duration < 1)
        // FFmpeg's reader waits for an RTSP answer that never comes: bounded all the same.
        let viaFFmpeg = try await probe("garbage", ProbeOptions(phaseTimeout: 1.5, rtspClient: .ffmpeg))
        #expect(viaFFmpeg.failure?.qualifiedCode == "timeout.handshake")
        #expect(viaFFmpeg.duration <= 1.5 + 1)
    }

    @Test func probe_unresolvableHost_isDNSFailure() async throws {
        let report = await Self.prober.probe(try StreamURL(parsing: "rtsp://camera.nonexistent.invalid/stream"))
        // Without a resolver answering in time the phase deadline ends it instead.
        let code = try #require(report.failure).qualifiedCode
        #expect(code == "dns" || code == "timeout.resolve", "got \(code)")
    }

    @Test func probe_udpTransport_measuresTheSameStream() async throws {
        let report = try await probe("h264_720p12_5", ProbeOptions(transport: .udp))
        #expect(report.transport == "udp")
        #expect(report.video?.width == 1280)
        expectRate(report.video?.timing.frameRate, 12.5)
    }

    @Test func probe_mjpegOverHTTP_decodesResolution() async throws {
        let report = try await probe("http_mjpeg")
        let video = try #require(report.video)
        #expect(video.codec == "mjpeg")
        #expect(video.width == 640)
        #expect(video.height == 480)
        #expect(video.resolutionSource == .decoded)
        expectRate(video.timing.frameRate, 10)
        #expect(report.transport == "http")
        #expect(report.status == .up)
    }

    @Test func probe_h264MPEGTSOverHTTP_readsStream() async throws {
        let report = try await probe("http_ts")
        let video = try #require(report.video)
        #expect(video.codec == "h264")
        #expect(video.width == 1280)
        #expect(video.height == 720)
        expectRate(video.timing.frameRate, 25)
        #expect(report.status == .up)
    }

    @Test func probe_mp4File_readsLengthPrefixedH264() async throws {
        let report = try await probe("file_mp4")
        let video = try #require(report.video)
        #expect(video.codec == "h264")
        #expect(video.width == 1280)
        #expect(video.height == 720)
        #expect(video.resolutionSource == .sps)
        expectRate(video.timing.frameRate, 25)
        #expect(video.timing.keyframeIntervalFrames == 25)
        #expect(report.transport == "file")
        #expect(report.picture?.flags == [])
    }

    @Test func probe_httpsToPlainHTTPServer_isTLSFailure() async throws {
        let fleet = try await TestFleet.shared()
        let report = await Self.prober.probe(try StreamURL(parsing: "https://127.0.0.1:\(fleet.description.httpPort)/mjpeg"))
        #expect(report.failure?.code == .tls)
    }

    @Test func probe_longWindow_measuresCameraClockFromRTCP() async throws {
        // GStreamer sends its first RTCP sender report within about 5 s.
        let report = try await probe("h264_5fps", ProbeOptions(window: 7))
        let skew = try #require(report.clockSkew)
        #expect(abs(skew) < 1, "camera and prober share a clock on loopback; skew \(skew)")
    }

    @Test func probe_frozenAgainstPreviousProbe_withOneKeyframe() async throws {
        let options = ProbeOptions(maxDecodedKeyframes: 1)
        let first = try await probe("frozen", options)
        let signature = try #require(first.picture?.statistics.signature)
        let fleet = try await TestFleet.shared()
        let again = await Self.prober.probe(try StreamURL(parsing: try fleet.url("frozen")), options: options, previousSignature: signature)
        #expect(again.picture?.decodedKeyframes == 1)
        #expect(again.picture?.flags == [.frozen])
        // A live picture differs from its own earlier probe.
        let moving = try await probe("h264_5fps", options)
        let movingSignature = try #require(moving.picture?.statistics.signature)
        let later = await Self.prober.probe(try StreamURL(parsing: try fleet.url("h264_5fps")), options: options, previousSignature: movingSignature)
        #expect(later.picture?.flags == [])
    }

    @Test func probe_audioOnlyFile_isNoVideo() async throws {
        // An audio-only file, made by ffmpeg (a fixture generator here, never part of the product).
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-audio-\(getpid()).m4a").path
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        #expect(ffmpeg.terminationStatus == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = await Self.prober.probe(try StreamURL(parsing: "file:" + path))
        #expect(report.failure?.code == .noVideo)
        #expect(report.audioPresent == true)
    }

    @Test func probe_cancelled_endsPromptly() async throws {
        let fleet = try await TestFleet.shared()
        let url = try StreamURL(parsing: try fleet.url("silent"))
        let started = Date()
        let task = Task { await Self.prober.probe(url, options: ProbeOptions(phaseTimeout: 10)) }
        try await Task.sleep(for: .milliseconds(500))
        task.cancel()
        let report = await task.value
        #expect(report.failure?.code == .cancelled)
        #expect(Date().timeIntervalSince(started) < 3)
    }
}

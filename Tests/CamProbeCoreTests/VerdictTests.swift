import CamProbeCore
import Foundation
import Testing

/// Probe reports as the prober returns them for the test fleet's cameras
/// (`scripts/fleet.py`), built by hand so the policy is tested without I/O.
enum Fleet {
    static func stream(
        codec: String = "h264", width: Int? = 1920, height: Int? = 1080, fps: Double? = 25,
        gop: Double? = 1, keyframes: Int = 3, bitrate: Double? = 2_000_000, picture: PictureReport? = Pictures.live,
        gaps: Int = 0, longestGap: Double? = nil, clockSkew: Double? = nil
    ) -> ProbeReport {
        var timing = StreamTiming()
        timing.frames = 50
        timing.span = 2
        timing.frameRate = fps
        timing.gaps = gaps
        timing.longestGap = longestGap ?? fps.map { 1 / $0 }
        timing.bitrate = bitrate
        timing.keyframes = keyframes
        timing.keyframeInterval = gop
        timing.keyframeIntervalFrames = gop.flatMap { gop in fps.map { Int(($0 * gop).rounded()) } }
        return ProbeReport(
            target: "rtsp://127.0.0.1:8554/test", startedAt: Date(timeIntervalSince1970: 1_700_000_000),
            transport: "tcp",
            video: VideoMeasurement(codec: codec, width: width, height: height, resolutionSource: .sps, declaredFrameRate: fps, timing: timing),
            picture: picture, clockSkew: clockSkew)
    }

    static let h264_1080p25 = stream()
    static let h265_1080p25 = stream(codec: "hevc")
    static let h264_720p12_5 = stream(width: 1280, height: 720, fps: 12.5, gop: 2)
    static let h264_d1 = stream(width: 704, height: 576, gop: 2, bitrate: 800_000)
    static let h264_5fps = stream(width: 1280, height: 720, fps: 5, gop: 2)
    static let black = stream(picture: Pictures.black)
    static let nosignalBlue = stream(width: 704, height: 576, picture: Pictures.noSignalBlue)
    static let frozen = stream(picture: Pictures.frozen)
    static let blurred = stream(picture: Pictures.blurred)
    static let httpMJPEG = stream(codec: "mjpeg", width: 1280, height: 720, gop: 0.04)
    /// A sub-stream: CIF, cheap to decode.
    static let sub = stream(width: 640, height: 360, fps: 12.5, gop: 2, bitrate: 256_000)

    static func failed(_ code: ProbeFailure.Code, phase: ProbePhase? = nil) -> ProbeReport {
        ProbeReport(
            target: "rtsp://127.0.0.1:8554/test", startedAt: Date(timeIntervalSince1970: 1_700_000_000),
            failure: ProbeFailure(code, phase: phase, "test failure"))
    }
}

enum Pictures {
    static let signature = PictureSignature(cells: [UInt8](repeating: 120, count: PictureSignature.cellCount))!

    static func report(
        mean: Double, spread: Double, dark: Double, sharpness: Double, flags: [PictureFlag], difference: Double? = 0.03
    ) -> PictureReport {
        let statistics = PictureStatistics(
            meanLuma: mean, lumaSpread: spread, darkShare: dark, sharpness: sharpness, laplacianVariance: 100,
            signature: signature)
        return PictureReport(statistics: statistics, flags: flags, decodedKeyframes: 2, keyframeDifference: difference)
    }

    /// Colour bars with a moving clock.
    static let live = report(mean: 118, spread: 48, dark: 0.04, sharpness: 2.05, flags: [])
    /// A DVR's black screen with its clock overlay.
    static let black = report(mean: 17, spread: 1.2, dark: 0.986, sharpness: 0, flags: [.black])
    /// A DVR's blue "NO VIDEO" screen: flat, and too bright to count as black.
    static let noSignalBlue = report(mean: 41, spread: 0, dark: 0, sharpness: 0, flags: [.uniform])
    /// Fine luma and detail, but the first and last keyframe of the window are identical.
    static let frozen = report(mean: 118, spread: 48, dark: 0.04, sharpness: 2.05, flags: [.frozen], difference: 0)
    static let blurred = report(mean: 118, spread: 40, dark: 0.03, sharpness: 0.23, flags: [.blurred])
}

private func camera(kind: CameraKind = .digital, profile: String = "digital-main", overrides: PolicyOverrides = PolicyOverrides()) -> Camera {
    Camera(
        id: "zhambyl-taraz-12-entrance", region: "Жамбыл облысы", district: "Тараз",
        school: School(name: "№ 12 мектеп-гимназия"), location: "главный вход", kind: kind,
        mainStream: "rtsp://10.20.0.5/Streaming/Channels/101", subStream: "rtsp://10.20.0.5/Streaming/Channels/102",
        profile: profile, overrides: overrides)
}

private func verdict(
    _ main: ProbeReport, sub: ProbeReport? = nil, camera: Camera? = nil, profile: PolicyProfile = .digitalMain
) -> Verdict {
    evaluate(main: main, sub: sub, camera: camera, profile: profile)
}

@Suite struct VerdictTests {
    // MARK: The fleet under the shipped profiles

    @Test func evaluate_when1080pH264At25fpsGOP1s_isUpWithoutReasons() {
        let v = verdict(Fleet.h264_1080p25, camera: camera())
        #expect(v.state == .up)
        #expect(v.reasons.isEmpty)
        #expect(v.isConclusive)
    }

    @Test func evaluate_when720pAt12_5fps_isDegradedListingResolutionAndFrameRate() throws {
        let v = verdict(Fleet.h264_720p12_5)
        #expect(v.state == .degraded)
        #expect(v.reasons.map(\.code) == [.resolutionBelowMinimum, .frameRateBelowMinimum])
        #expect(v.reasons.allSatisfy { $0.severity == .violation && $0.stream == nil })
        let resolution = try #require(v.reasons(.resolutionBelowMinimum).first)
        #expect(resolution.measured == "1280×720")
        #expect(resolution.expected == "≥ 1920×1080")
        let rate = try #require(v.reasons(.frameRateBelowMinimum).first)
        #expect(rate.measured == "12.5 fps")
        #expect(rate.expected == "≥ 15 fps")
    }

    @Test func evaluate_whenAnalogD1UnderAnalogDVR_isUpWithAnalogNote() throws {
        let v = verdict(Fleet.h264_d1, camera: camera(kind: .analog, profile: "analog-dvr"), profile: .analogDVR)
        #expect(v.state == .up)
        #expect(v.reasons.map(\.code) == [.cameraAnalog])
        let note = try #require(v.reasons.first)
        #expect(note.severity == .info)
        #expect(note.stream == nil)
    }

    @Test func evaluate_whenAnalogD1UnderDigitalMain_isDegradedByResolution() throws {
        let v = verdict(Fleet.h264_d1, camera: camera(kind: .analog), profile: .digitalMain)
        #expect(v.state == .degraded)
        #expect(v.reasons.map(\.code) == [.resolutionBelowMinimum])
        #expect(try #require(v.reasons.first).measured == "704×576")
    }

    @Test func evaluate_whenDigitalCameraUnderAnalogDVR_isNotFlaggedAnalog() {
        let v = verdict(Fleet.h264_d1, camera: camera(kind: .digital, profile: "analog-dvr"), profile: .analogDVR)
        #expect(v.state == .up)
        #expect(v.reasons.isEmpty)
    }

    @Test func evaluate_when5fps_isDegradedBelowMinimumFrameRate() {
        let v = verdict(Fleet.h264_5fps)
        #expect(v.state == .degraded)
        #expect(v.reasons.map(\.code) == [.resolutionBelowMinimum, .frameRateBelowMinimum])
        let fullHD = verdict(Fleet.stream(fps: 5, gop: 2))
        #expect(fullHD.state == .degraded)
        #expect(fullHD.reasons.map(\.code) == [.frameRateBelowMinimum])
        #expect(fullHD.reasons.first?.measured == "5 fps")
    }

    @Test func evaluate_when20fps_isUpWithRecommendedFrameRateWarning() {
        let v = verdict(Fleet.stream(fps: 20))
        #expect(v.state == .up)
        #expect(v.reasons.map(\.code) == [.frameRateBelowRecommended])
        #expect(v.reasons.first?.severity == .warning)
        #expect(v.reasons.first?.expected == "≥ 25 fps")
    }

    @Test func evaluate_whenRatesAreWithinTimestampRounding_raisesNothing() {
        #expect(verdict(Fleet.stream(fps: 24.8)).reasons.isEmpty)
        #expect(verdict(Fleet.stream(fps: 14.8, gop: 4.05)).reasons.map(\.code) == [.frameRateBelowRecommended])
        #expect(verdict(Fleet.stream(fps: 24.4)).reasons.map(\.code) == [.frameRateBelowRecommended])
    }

    @Test(arguments: [
        (Fleet.black, ReasonCode.pictureBlack),
        (Fleet.nosignalBlue, .pictureUniform),
        (Fleet.frozen, .pictureFrozen),
    ])
    func evaluate_whenStreamIsAliveButPictureDead_isDown(report: ProbeReport, code: ReasonCode) {
        #expect(report.video?.timing.frameRate == 25)
        let v = verdict(report, profile: report.video?.width == 704 ? .analogDVR : .digitalMain)
        #expect(v.state == .down)
        #expect(v.reasons.map(\.code).first == code)
        #expect(v.reasons.filter { $0.severity == .failure }.map(\.code) == [code])
    }

    @Test func evaluate_whenPictureBlurred_isDegraded() throws {
        let v = verdict(Fleet.blurred)
        #expect(v.state == .degraded)
        #expect(v.reasons.map(\.code) == [.pictureBlurred])
        let blurred = try #require(v.reasons.first)
        #expect(blurred.measured == "sharpness 0.23")
        #expect(blurred.expected == "sharpness ≥ 0.5")
    }

    @Test func evaluate_whenPictureFrozenAgainstPreviousProbe_isDown() {
        // One keyframe decoded, compared with the previous probe's signature by the prober.
        let picture = Pictures.report(mean: 118, spread: 48, dark: 0.04, sharpness: 2.05, flags: [.frozen], difference: nil)
        let v = verdict(Fleet.stream(picture: picture))
        #expect(v.state == .down)
        #expect(v.reasons.map(\.code) == [.pictureFrozen])
        #expect(v.reasons.first?.measured == "unchanged since the previous probe")
    }

    @Test func evaluate_judgesThePictureWithTheProfilesThresholds() {
        var lenient = PolicyProfile.digitalMain
        lenient.picture = PictureThresholds(blurredSharpness: 0.2)
        #expect(verdict(Fleet.blurred, profile: lenient).state == .up)

        var strict = PolicyProfile.digitalMain
        strict.picture = PictureThresholds(blackShare: 0.9)
        let dark = Pictures.report(mean: 30, spread: 20, dark: 0.93, sharpness: 1.5, flags: [])
        #expect(verdict(Fleet.stream(picture: dark), profile: strict).reasons.map(\.code) == [.pictureBlack])
        #expect(verdict(Fleet.stream(picture: dark)).state == .up)
    }

    @Test func evaluate_whenPictureCheckDisabled_doesNotRaiseIt() {
        var profile = PolicyProfile.digitalMain
        profile.checkBlack = false
        profile.checkUniform = false
        profile.checkFrozen = false
        profile.checkBlurred = false
        for report in [Fleet.black, Fleet.frozen, Fleet.blurred] {
            #expect(verdict(report, profile: profile).reasons.isEmpty)
        }
        // 704×576: only the resolution is left to complain about.
        #expect(verdict(Fleet.nosignalBlue, profile: profile).reasons.map(\.code) == [.resolutionBelowMinimum])
    }

    @Test(arguments: [
        (ProbeFailure.Code.stalled, ProbePhase?.some(.window), ReasonCode.probeStalled),
        (.unauthorized, .handshake, .probeUnauthorized),
        (.timeout, .handshake, .probeTimeoutHandshake),
        (.timeout, .connect, .probeTimeoutConnect),
        (.timeout, .firstFrame, .probeTimeoutFirstFrame),
        (.sessionLimit, .handshake, .probeSessionLimit),
        (.refused, .connect, .probeRefused),
        (.notFound, .handshake, .probeNotFound),
    ])
    func evaluate_whenProbeFailed_isDownWithItsCode(code: ProbeFailure.Code, phase: ProbePhase?, expected: ReasonCode) throws {
        let v = verdict(Fleet.failed(code, phase: phase), camera: camera())
        #expect(v.state == .down)
        #expect(v.reasons.map(\.code) == [expected])
        let reason = try #require(v.reasons.first)
        #expect(reason.severity == .failure)
        #expect(reason.measured == "test failure")
        #expect(reason.parameters["phase"] == phase?.rawValue)
    }

    @Test func reasonCode_mapsEveryProbeFailureCodeWithItsTimeoutPhase() {
        for code in ProbeFailure.Code.allCases {
            for phase in [nil] + ProbePhase.allCases {
                let failure = ProbeFailure(code, phase: phase, "x")
                let reason = ReasonCode(failure)
                #expect(reason.isProbeFailure)
                if code == .timeout, phase == .window || phase == .decode || phase == nil {
                    #expect(reason == .probeTimeout)
                } else {
                    #expect(reason.rawValue == "probe." + failure.qualifiedCode)
                }
            }
        }
    }

    @Test func evaluate_whenH265_isUp() {
        #expect(verdict(Fleet.h265_1080p25).reasons.isEmpty)
        var spelledH265 = PolicyProfile.digitalMain
        spelledH265.codecs = ["H.264", "h265"]
        #expect(verdict(Fleet.h265_1080p25, profile: spelledH265).reasons.isEmpty)
    }

    @Test func evaluate_whenMJPEG_isDegradedCodecNotAllowed() throws {
        var v = verdict(Fleet.httpMJPEG)
        #expect(v.state == .degraded)
        #expect(v.reasons.map(\.code) == [.codecNotAllowed, .resolutionBelowMinimum])
        let codec = try #require(v.reasons.first)
        #expect(codec.measured == "MJPEG")
        #expect(codec.expected == "H.264 / H.265")
        v = verdict(Fleet.stream(codec: "mjpeg", gop: 0.04))
        #expect(v.reasons.map(\.code) == [.codecNotAllowed])
    }

    @Test func evaluate_whenKeyframeIntervalTooLong_isDegraded() throws {
        let v = verdict(Fleet.stream(gop: 8))
        #expect(v.state == .degraded)
        #expect(v.reasons.map(\.code) == [.keyframeIntervalTooLong])
        let gop = try #require(v.reasons.first)
        #expect(gop.measured == "8 s (200 frames)")
        #expect(gop.expected == "≤ 4 s")
    }

    @Test func evaluate_whenWindowShorterThanGOP_notesUnmeasuredIntervalOnly() throws {
        let v = verdict(Fleet.stream(gop: nil, keyframes: 1))
        #expect(v.state == .up)
        #expect(v.reasons.map(\.code) == [.keyframeIntervalUnmeasured])
        let note = try #require(v.reasons.first)
        #expect(note.severity == .info)
        #expect(note.measured == "1 keyframe in 2 s")
    }

    @Test func evaluate_whenMeasurementsAreMissing_raisesNoViolation() {
        let bare = Fleet.stream(width: nil, height: nil, fps: nil, gop: nil, keyframes: 0, bitrate: nil, picture: nil)
        let v = verdict(bare, camera: camera())
        #expect(v.state == .up)
        #expect(v.reasons.map(\.code) == [.keyframeIntervalUnmeasured])

        let nothing = ProbeReport(target: "rtsp://127.0.0.1/x", startedAt: Date(timeIntervalSince1970: 0))
        #expect(verdict(nothing).reasons.isEmpty)
        #expect(verdict(nothing).state == .up)
    }

    @Test func evaluate_whenBitrateVeryLow_warnsButStaysUp() throws {
        let v = verdict(Fleet.stream(bitrate: 12_000))
        #expect(v.state == .up)
        #expect(v.reasons.map(\.code) == [.bitrateTooLow])
        let reason = try #require(v.reasons.first)
        #expect(reason.severity == .warning)
        #expect(reason.measured == "12 kbit/s")
        #expect(reason.expected == "≥ 20 kbit/s")
    }

    @Test func evaluate_clockSkew_warnsThenViolates() throws {
        #expect(verdict(Fleet.stream(clockSkew: 3)).reasons.isEmpty)
        #expect(verdict(Fleet.stream(clockSkew: nil)).reasons.isEmpty)

        let warn = verdict(Fleet.stream(clockSkew: 8))
        #expect(warn.state == .up)
        #expect(warn.reasons.map(\.code) == [.clockSkewWarning])

        let behind = verdict(Fleet.stream(clockSkew: -73))
        #expect(behind.state == .degraded)
        #expect(behind.reasons.map(\.code) == [.clockSkewTooLarge])
        let reason = try #require(behind.reasons.first)
        #expect(reason.measured == "-73 s")
        #expect(reason.expected == "within ±60 s")
    }

    @Test func evaluate_whenFramesHaveGaps_warnsButStaysUp() throws {
        let v = verdict(Fleet.stream(gaps: 3, longestGap: 0.6))
        #expect(v.state == .up)
        #expect(v.reasons.map(\.code) == [.streamGaps])
        #expect(try #require(v.reasons.first).measured == "3 gaps, longest 0.6 s")
    }

    @Test func evaluate_ordersReasonsMostSevereFirst() {
        let report = Fleet.stream(width: 1280, height: 720, fps: 20, bitrate: 12_000, picture: Pictures.black, gaps: 1, clockSkew: 90)
        let v = verdict(report, camera: camera(kind: .analog, profile: "analog-dvr"), profile: .analogDVR)
        #expect(v.state == .down)
        #expect(v.reasons.map(\.code) == [
            .pictureBlack, .clockSkewTooLarge, .frameRateBelowRecommended, .bitrateTooLow, .streamGaps, .cameraAnalog,
        ])
    }

    // MARK: Overrides

    @Test func evaluate_appliesTheCamerasOverrides() {
        let lowered = camera(overrides: PolicyOverrides(minWidth: 1280, minHeight: 720, minFrameRate: 12))
        let v = verdict(Fleet.h264_720p12_5, camera: lowered)
        #expect(v.state == .up)
        #expect(v.reasons.map(\.code) == [.frameRateBelowRecommended])

        let noBlur = camera(overrides: PolicyOverrides(checkBlurred: false))
        #expect(verdict(Fleet.blurred, camera: noBlur).reasons.isEmpty)

        let noFreeze = camera(overrides: PolicyOverrides(checkFrozen: false))
        #expect(verdict(Fleet.frozen, camera: noFreeze).state == .up)

        let longGOP = camera(overrides: PolicyOverrides(maxKeyframeInterval: 10))
        #expect(verdict(Fleet.stream(gop: 8), camera: longGOP).reasons.isEmpty)
    }

    @Test func evaluate_withoutCamera_usesTheProfileAsItIs() {
        #expect(verdict(Fleet.h264_d1, profile: .analogDVR).reasons.map(\.code) == [.cameraAnalog])
        #expect(PolicyEvaluator(profile: .digitalMain, camera: camera(overrides: PolicyOverrides(minWidth: 640))).profile.minWidth == 640)
    }

    @Test func evaluate_portraitCorridorMode_meetsLandscapeMinimum() {
        #expect(verdict(Fleet.stream(width: 1080, height: 1920)).reasons.isEmpty)
        #expect(verdict(Fleet.stream(width: 720, height: 1280)).reasons.map(\.code) == [.resolutionBelowMinimum])
    }

    // MARK: Sub-stream

    @Test func evaluate_whenSubStreamShowsDeadPicture_isDownWithSubNamed() throws {
        let main = Fleet.stream(picture: nil)
        let sub = Fleet.stream(width: 640, height: 360, fps: 12.5, gop: 2, picture: Pictures.noSignalBlue)
        let v = verdict(main, sub: sub)
        #expect(v.state == .down)
        #expect(v.reasons.map(\.code) == [.pictureUniform])
        #expect(try #require(v.reasons.first).stream == .sub)
    }

    @Test func evaluate_judgesComplianceOnTheMainStreamOnly() {
        // The sub-stream is 640×360 at 12.5 fps by design: that is no violation.
        let v = verdict(Fleet.stream(picture: nil), sub: Fleet.sub)
        #expect(v.state == .up)
        #expect(v.reasons.isEmpty)

        let lowMain = verdict(Fleet.h264_720p12_5, sub: Fleet.sub)
        #expect(lowMain.reasons.map(\.code) == [.resolutionBelowMinimum, .frameRateBelowMinimum])
        #expect(lowMain.reasons.allSatisfy { $0.stream == .main })
    }

    @Test func evaluate_prefersTheSubStreamsPicture() {
        // The main stream's picture was not decoded; the sub-stream's is alive.
        #expect(verdict(Fleet.stream(picture: nil), sub: Fleet.sub).state == .up)
        // Both decoded: the sub-stream's picture is the one judged.
        #expect(verdict(Fleet.black, sub: Fleet.sub).state == .up)
        #expect(verdict(Fleet.h264_1080p25, sub: Fleet.stream(width: 640, height: 360, picture: Pictures.frozen)).state == .down)
    }

    @Test func evaluate_whenMainFailsButSubWorks_isDegradedWithMainFailure() throws {
        let v = verdict(Fleet.failed(.unauthorized, phase: .handshake), sub: Fleet.sub)
        #expect(v.state == .degraded)
        #expect(v.reasons.map(\.code) == [.probeUnauthorized])
        let reason = try #require(v.reasons.first)
        #expect(reason.severity == .violation)
        #expect(reason.stream == .main)
    }

    @Test func evaluate_whenMainFailsAndSubPictureDead_isDown() {
        let sub = Fleet.stream(width: 640, height: 360, picture: Pictures.black)
        let v = verdict(Fleet.failed(.sessionLimit, phase: .handshake), sub: sub)
        #expect(v.state == .down)
        #expect(v.reasons.map(\.code) == [.pictureBlack, .probeSessionLimit])
    }

    @Test func evaluate_whenOnlySubFails_warnsAndJudgesTheMainStream() throws {
        let v = verdict(Fleet.h264_1080p25, sub: Fleet.failed(.notFound, phase: .handshake))
        #expect(v.state == .up)
        #expect(v.reasons.map(\.code) == [.probeNotFound])
        let reason = try #require(v.reasons.first)
        #expect(reason.severity == .warning)
        #expect(reason.stream == .sub)
    }

    @Test func evaluate_whenBothStreamsFail_isDownWithBothFailures() {
        let v = verdict(Fleet.failed(.timeout, phase: .connect), sub: Fleet.failed(.timeout, phase: .connect))
        #expect(v.state == .down)
        #expect(v.reasons.map(\.code) == [.probeTimeoutConnect, .probeTimeoutConnect])
        #expect(v.reasons.map(\.stream) == [.main, .sub])
    }

    @Test func evaluate_takesClockSkewFromTheSubStreamWhenMainHasNone() {
        let v = verdict(Fleet.failed(.stalled, phase: .window), sub: Fleet.stream(width: 640, height: 360, clockSkew: 120))
        #expect(v.reasons.map(\.code) == [.probeStalled, .clockSkewTooLarge])
        #expect(v.reasons.map(\.stream) == [.main, .sub])
    }

    @Test func evaluate_whenProbeCancelled_isNotConclusive() {
        let v = verdict(Fleet.failed(.cancelled))
        #expect(v.reasons.map(\.code) == [.probeCancelled])
        #expect(!v.isConclusive)
    }

    // MARK: Values

    @Test func cameraState_isOrderedUpDegradedDown() {
        #expect(CameraState.up < .degraded && CameraState.degraded < .down)
        #expect([CameraState.down, .up, .degraded].max() == .down)
        #expect(Severity.info < .warning && Severity.warning < .violation && Severity.violation < .failure)
    }

    @Test func verdict_roundTripsThroughJSONWithStableCodes() throws {
        let v = verdict(Fleet.h264_720p12_5, sub: Fleet.sub)
        let data = try JSONEncoder().encode(v)
        #expect(try JSONDecoder().decode(Verdict.self, from: data) == v)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains(#""state":"degraded""#))
        #expect(json.contains(#""code":"resolution.below_minimum""#))
        #expect(json.contains(#""severity":"violation""#))
    }
}

@Suite struct ReasonTextTests {
    /// A verdict that raises `code`, for every code: every code is reachable through
    /// `evaluate`, and a new code does not compile until it has a case here.
    static func verdict(raising code: ReasonCode) -> Verdict {
        switch code {
        case .probeInvalidURL: return verdict(failing: .invalidURL)
        case .probeDNS: return verdict(failing: .dns)
        case .probeRefused: return verdict(failing: .refused, .connect)
        case .probeUnreachable: return verdict(failing: .unreachable, .connect)
        case .probeTimeoutResolve: return verdict(failing: .timeout, .resolve)
        case .probeTimeoutConnect: return verdict(failing: .timeout, .connect)
        case .probeTimeoutHandshake: return verdict(failing: .timeout, .handshake)
        case .probeTimeoutFirstFrame: return verdict(failing: .timeout, .firstFrame)
        case .probeTimeout: return verdict(failing: .timeout, .window)
        case .probeTLS: return verdict(failing: .tls, .handshake)
        case .probeUnauthorized: return verdict(failing: .unauthorized, .handshake)
        case .probeForbidden: return verdict(failing: .forbidden, .handshake)
        case .probeNotFound: return verdict(failing: .notFound, .handshake)
        case .probeSessionLimit: return verdict(failing: .sessionLimit, .handshake)
        case .probeProtocol: return verdict(failing: .protocolError, .handshake)
        case .probeRedirect: return verdict(failing: .redirect, .handshake)
        case .probeNoVideo: return verdict(failing: .noVideo, .handshake)
        case .probeUnsupportedCodec: return verdict(failing: .unsupportedCodec, .handshake)
        case .probeStalled: return verdict(failing: .stalled, .window)
        case .probeUndecodable: return verdict(failing: .undecodable, .decode)
        case .probeCancelled: return verdict(failing: .cancelled)
        case .pictureBlack: return evaluate(Fleet.black)
        case .pictureUniform: return evaluate(Fleet.nosignalBlue)
        case .pictureFrozen: return evaluate(Fleet.frozen)
        case .pictureBlurred: return evaluate(Fleet.blurred)
        case .codecNotAllowed: return evaluate(Fleet.stream(codec: "mjpeg"))
        case .resolutionBelowMinimum: return evaluate(Fleet.stream(width: 1280, height: 720))
        case .frameRateBelowMinimum: return evaluate(Fleet.stream(fps: 12.5, gop: 2))
        case .frameRateBelowRecommended: return evaluate(Fleet.stream(fps: 20))
        case .keyframeIntervalTooLong: return evaluate(Fleet.stream(gop: 8))
        case .keyframeIntervalUnmeasured: return evaluate(Fleet.stream(gop: nil, keyframes: 1))
        case .bitrateTooLow: return evaluate(Fleet.stream(bitrate: 12_000))
        case .clockSkewWarning: return evaluate(Fleet.stream(clockSkew: 8))
        case .clockSkewTooLarge: return evaluate(Fleet.stream(clockSkew: 73))
        case .streamGaps: return evaluate(Fleet.stream(gaps: 3, longestGap: 0.6))
        case .cameraAnalog: return evaluate(Fleet.h264_d1, profile: .analogDVR)
        case .archiveTooShort, .archiveGaps, .archiveClock, .archiveUnmeasured: return ArchiveEvaluatorTests.verdict(raising: code)
        }
    }

    private static func verdict(failing code: ProbeFailure.Code, _ phase: ProbePhase? = nil) -> Verdict {
        evaluate(Fleet.failed(code, phase: phase))
    }

    private static func evaluate(_ report: ProbeReport, profile: PolicyProfile = .digitalMain) -> Verdict {
        CamProbeCore.evaluate(main: report, sub: nil, camera: nil, profile: profile)
    }

    private static func reason(_ code: ReasonCode) throws -> Reason {
        try #require(verdict(raising: code).reasons(code).first)
    }

    @Test(arguments: ReasonCode.allCases)
    func everyCode_isReachableAndHasTextInEveryLanguage(code: ReasonCode) throws {
        let reason = try Self.reason(code)
        for language in Language.allCases {
            let text = reason.text(in: language)
            #expect(!text.isEmpty)
            #expect(!text.contains(code.rawValue), "\(code) has no \(language) text of its own")
            #expect(!text.dropLast().contains("?"), "\(code) in \(language) lacks a parameter: \(text)")
            #expect(text.first?.isUppercase == true || text.first?.isNumber == true, "\(code) in \(language): \(text)")
        }
        #expect(reason.text(in: .ru) != reason.text(in: .en))
        #expect(reason.text(in: .kk) != reason.text(in: .ru))
    }

    @Test(arguments: ReasonCode.allCases)
    func kazakhText_usesKazakhLetters(code: ReasonCode) throws {
        let text = try Self.reason(code).text(in: .kk)
        #expect(text.contains { "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains($0) }, "\(code): \(text)")
    }

    @Test func resolution_namesMeasuredAndRequired() throws {
        let reason = try Self.reason(.resolutionBelowMinimum)
        #expect(reason.text(in: .ru) == "Разрешение 1280×720 ниже требуемого 1920×1080")
        #expect(reason.text(in: .kk) == "Ажыратымдылық 1280×720 талаптан төмен: кемінде 1920×1080 болуы керек")
        #expect(reason.text(in: .en) == "Resolution 1280×720 is below the required 1920×1080")
    }

    @Test func frameRate_usesEachLanguagesDecimalSeparator() throws {
        let reason = try Self.reason(.frameRateBelowMinimum)
        #expect(reason.text(in: .ru) == "Частота кадров 12,5 кадр/с ниже требуемой 15 кадр/с")
        #expect(reason.text(in: .kk) == "Кадр жиілігі 12,5 кадр/с талаптан төмен: кемінде 15 кадр/с болуы керек")
        #expect(reason.text(in: .en) == "Frame rate 12.5 fps is below the required 15 fps")
    }

    @Test func pictureTexts_speakTheOperatorsLanguage() throws {
        #expect(try Self.reason(.pictureUniform).text(in: .ru) == "Нет сигнала с камеры (однотонное изображение)")
        #expect(try Self.reason(.pictureFrozen).text(in: .ru).hasPrefix("Изображение заморожено"))
        #expect(try Self.reason(.pictureBlack).text(in: .ru) == "Объектив закрыт или камера не работает (чёрное изображение)")
        #expect(try Self.reason(.pictureUniform).text(in: .kk) == "Камерадан сигнал жоқ (бір түсті кескін)")
        #expect(try Self.reason(.cameraAnalog).text(in: .en) == "Analog camera – scheduled for replacement")
    }

    @Test func texts_includeTheMeasuredValues() throws {
        let expectations: [(ReasonCode, [Language: [String]])] = [
            (.codecNotAllowed, [.ru: ["MJPEG", "H.264 или H.265"], .kk: ["MJPEG", "H.264 немесе H.265"], .en: ["MJPEG", "H.264 or H.265"]]),
            (.frameRateBelowRecommended, [.ru: ["20 кадр/с", "25 кадр/с"], .kk: ["20 кадр/с", "25 кадр/с"], .en: ["20 fps", "25 fps"]]),
            (.keyframeIntervalTooLong, [.ru: ["8 с", "4 с"], .kk: ["8 с", "4 с"], .en: ["8 s", "4 s"]]),
            (.keyframeIntervalUnmeasured, [.ru: ["2 с"], .kk: ["2 с"], .en: ["2 s"]]),
            (.bitrateTooLow, [.ru: ["12 кбит/с", "20 кбит/с"], .kk: ["12 кбит/с", "20 кбит/с"], .en: ["12 kbit/s", "20 kbit/s"]]),
            (.clockSkewWarning, [.ru: ["спешат на 8 с", "5 с"], .kk: ["8 с алға кеткен", "5 с"], .en: ["8 s fast", "5 s"]]),
            (.clockSkewTooLarge, [.ru: ["спешат на 73 с", "60 с"], .kk: ["73 с алға кеткен", "60 с"], .en: ["73 s fast", "60 s"]]),
            (.streamGaps, [.ru: ["3 пропуска", "0,6 с"], .kk: ["3 үзіліс", "0,6 с"], .en: ["3 gaps", "0.6 s"]]),
        ]
        for (code, byLanguage) in expectations {
            let reason = try Self.reason(code)
            for (language, parts) in byLanguage {
                let text = reason.text(in: language)
                for part in parts {
                    #expect(text.contains(part), "\(code) in \(language): \(text)")
                }
            }
        }
    }

    @Test func clockSkew_saysBehindAndUsesLargerUnitsForLargeSkews() {
        let behind = Self.evaluate(Fleet.stream(clockSkew: -150)).reasons[0]
        #expect(behind.text(in: .ru) == "Часы камеры отстают на 2,5 мин (допустимо не более 60 с): время в архиве неверное")
        #expect(behind.text(in: .kk) == "Камера сағаты 2,5 мин артта қалған (ең көбі 60 с рұқсат етіледі): мұрағаттағы уақыт қате")
        #expect(behind.text(in: .en) == "Camera clock is 2.5 min slow (at most 60 s allowed): archive times are wrong")
        // A camera whose clock fell back to 1 Jan 2000 while we are in Nov 2023.
        let reset = Self.evaluate(Fleet.stream(clockSkew: -754_000_000)).reasons[0]
        #expect(reset.text(in: .ru).hasPrefix("Часы камеры отстают на 8727 сут."))
        #expect(reset.text(in: .en).hasPrefix("Camera clock is 8727 days slow"))
    }

    @Test func russianGaps_agreeWithTheNumber() {
        for (gaps, word) in [(1, "1 пропуск "), (2, "2 пропуска "), (5, "5 пропусков "), (11, "11 пропусков "), (21, "21 пропуск "), (22, "22 пропуска ")] {
            let text = Self.evaluate(Fleet.stream(gaps: gaps, longestGap: 0.5)).reasons[0].text(in: .ru)
            #expect(text.contains(word), "\(text)")
        }
    }

    @Test func text_namesTheStreamWhenItMatters() {
        let mainFailed = evaluateCamera(main: Fleet.failed(.unauthorized, phase: .handshake), sub: Fleet.sub)
        #expect(mainFailed.reasons[0].text(in: .ru) == "Неверный логин или пароль камеры (401) — основной поток")
        #expect(mainFailed.reasons[0].text(in: .kk) == "Камераның логині немесе құпиясөзі қате (401) — негізгі ағын")
        #expect(mainFailed.reasons[0].text(in: .en) == "Wrong camera user name or password (401) — main stream")

        let lowMain = evaluateCamera(main: Fleet.h264_720p12_5, sub: Fleet.sub)
        #expect(lowMain.reasons[0].text(in: .ru) == "Разрешение 1280×720 ниже требуемого 1920×1080")

        let deadSub = evaluateCamera(main: Fleet.stream(picture: nil), sub: Fleet.stream(width: 640, height: 360, picture: Pictures.black))
        #expect(deadSub.reasons[0].text(in: .en) == "Lens covered or camera dead (black picture) — sub-stream")
    }

    private func evaluateCamera(main: ProbeReport, sub: ProbeReport) -> Verdict {
        CamProbeCore.evaluate(main: main, sub: sub, camera: nil, profile: .digitalMain)
    }

    @Test func stateNames_inEveryLanguage() {
        #expect(CameraState.allCases.map { $0.name(in: .ru) } == ["работает", "не соответствует требованиям", "не работает"])
        #expect(CameraState.allCases.map { $0.name(in: .kk) } == ["жұмыс істейді", "талаптарға сәйкес емес", "жұмыс істемейді"])
        #expect(CameraState.allCases.map { $0.name(in: .en) } == ["up", "non-compliant", "down"])
    }

    @Test func summary_isOneLineWithStateAndReasons() {
        let degraded = Self.evaluate(Fleet.h264_720p12_5)
        #expect(degraded.summary(in: .ru)
            == "Не соответствует требованиям. Разрешение 1280×720 ниже требуемого 1920×1080. Частота кадров 12,5 кадр/с ниже требуемой 15 кадр/с.")
        #expect(degraded.summary(in: .en)
            == "Non-compliant. Resolution 1280×720 is below the required 1920×1080. Frame rate 12.5 fps is below the required 15 fps.")
        #expect(Self.evaluate(Fleet.nosignalBlue, profile: .analogDVR).summary(in: .kk)
            == "Жұмыс істемейді. Камерадан сигнал жоқ (бір түсті кескін). Аналогтық камера — ауыстырылуы тиіс.")
        #expect(Self.evaluate(Fleet.h264_1080p25).summary(in: .ru) == "Работает.")
        #expect(Self.evaluate(Fleet.stream(bitrate: 12_000)).summary(in: .en)
            == "Up. Very low bitrate, 12 kbit/s (at least 20 kbit/s expected): lens covered or blank picture?")
        for language in Language.allCases {
            #expect(!degraded.summary(in: language).contains("\n"))
        }
    }
}

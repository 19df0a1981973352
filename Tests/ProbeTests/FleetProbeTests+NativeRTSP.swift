import CamProbeCore
import Probe
import Testing

/// The native RTSP client against the fleet: it reads what FFmpeg's own
/// reader reads, steps aside for what it leaves to FFmpeg, and falls back to
/// UDP the same way.
extension FleetProbeTests {
    @Test(arguments: ["h264_1080p25", "h265_1080p25", "h264_d1"])
    func nativeClient_measuresWhatFFmpegsReaderMeasures(camera: String) async throws {
        let native = try await probe(camera, ProbeOptions(maxDecodedKeyframes: 1))
        let ffmpeg = try await probe(camera, ProbeOptions(rtspClient: .ffmpeg, maxDecodedKeyframes: 1))
        #expect(native.failure == nil)
        #expect(ffmpeg.failure == nil)
        let a = try #require(native.video)
        let b = try #require(ffmpeg.video)
        #expect(a.codec == b.codec)
        #expect(a.width == b.width && a.height == b.height, "\(String(describing: a.width))x\(String(describing: a.height)) against \(String(describing: b.width))x\(String(describing: b.height))")
        #expect(a.profile == b.profile)
        #expect(a.declaredFrameRate == b.declaredFrameRate)
        #expect(a.timing.keyframeIntervalFrames == b.timing.keyframeIntervalFrames)
        let rateA = try #require(a.timing.frameRate)
        let rateB = try #require(b.timing.frameRate)
        #expect(abs(rateA - rateB) <= rateB * 0.03)
        #expect(native.picture?.flags == ffmpeg.picture?.flags)
        #expect(native.transport == "tcp" && ffmpeg.transport == "tcp")
        #expect(native.audioPresent == false)
    }

    @Test func nativeClient_cameraThatRefusesTCP_fallsBackToUDP() async throws {
        let report = try await probe("udp_only")
        #expect(report.failure == nil)
        #expect(report.transport == "udp")
        #expect(report.video?.width == 1280)
        #expect(report.video?.height == 720)
        expectRate(report.video?.timing.frameRate, 25)
        // TCP only: the camera's refusal is the answer.
        let tcpOnly = try await probe("udp_only", ProbeOptions(transport: .tcp))
        let failure = try #require(tcpOnly.failure)
        #expect(failure.code == .protocolError)
        #expect(failure.message.contains("461"), "\(failure.message)")
    }

    @Test func nativeClient_redirectToAnotherPort_isFollowed_whenTheURLHasNoCredentials() async throws {
        let report = try await probe("redirect")
        #expect(report.failure == nil)
        #expect(report.video?.codec == "h264")
        #expect(report.video?.width == 1280)
        #expect(report.video?.height == 720)
        expectRate(report.video?.timing.frameRate, 12.5)
    }
}

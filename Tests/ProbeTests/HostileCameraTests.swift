import CamProbeCore
import Foundation
import Testing

/// Every case of the hostile-camera fixture against `camprobe probe --json`, a
/// real process on real sockets: no crash (a trap would show as a signal), the
/// exact classified failure or a correct report, the end within the probe's
/// bound + 1 s, peak memory (the child's own `ru_maxrss`) bounded, the
/// password nowhere in the output, and nothing of it at the host it does not
/// belong to. Serialized: the fixture is one Python process, and a flood in one
/// case would slow the next.
@Suite(.serialized)
struct HostileCameraTests {
    /// What a case must end with.
    enum Outcome: Sendable, CustomStringConvertible {
        /// A failure with this qualified code whose message contains `mentions`.
        case failure(String, mentions: String? = nil)
        /// A working stream of this size.
        case report(width: Int, height: Int)
        /// A working stream of one of these sizes (it changes mid-stream).
        case reportOf([Int])

        var description: String {
            switch self {
            case .failure(let code, let mentions): return "failure \(code)\(mentions.map { " (\($0))" } ?? "")"
            case .report(let width, let height): return "report \(width)x\(height)"
            case .reportOf(let widths): return "report with width in \(widths)"
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let outcome: Outcome
        /// Extra `camprobe probe` arguments (FFmpeg's own reader for some).
        var arguments: [String] = []
        /// The case redirects elsewhere: the other host must see no byte at all.
        var redirectsElsewhere = false

        var testDescription: String { "\(name) → \(outcome)" }
    }

    static let cases: [Case] = [
        // Oversized and malformed heads and bodies, however split into reads.
        Case(name: "head_200k_one_read", outcome: .failure("protocol", mentions: "CameraLimits.responseHeadBytes")),
        Case(name: "head_200k_bytewise", outcome: .failure("protocol", mentions: "CameraLimits.responseHeadBytes")),
        Case(name: "head_200k_7byte", outcome: .failure("protocol", mentions: "CameraLimits.responseHeadBytes")),
        Case(name: "head_200k_on_setup", outcome: .failure("protocol", mentions: "CameraLimits.responseHeadBytes")),
        Case(name: "head_200k_pipelined", outcome: .failure("protocol", mentions: "CameraLimits.responseHeadBytes")),
        Case(name: "head_200k_midstream", outcome: .failure("protocol", mentions: "CameraLimits.responseHeadBytes")),
        Case(name: "head_endless", outcome: .failure("protocol", mentions: "CameraLimits.responseHeadBytes")),
        Case(name: "head_many_fields", outcome: .failure("protocol", mentions: "CameraLimits.responseHeaderCount")),
        Case(name: "body_2gb", outcome: .failure("protocol", mentions: "CameraLimits.responseBodyBytes")),
        Case(name: "body_negative", outcome: .failure("protocol", mentions: "Content-Length: -5")),
        Case(name: "body_not_a_number", outcome: .failure("protocol", mentions: "Content-Length: 12abc")),
        Case(name: "body_overflowing_number", outcome: .failure("protocol", mentions: "Content-Length: 9999")),
        Case(name: "body_short", outcome: .failure("timeout.handshake")),
        Case(name: "sdp_too_large", outcome: .failure("protocol", mentions: "CameraLimits.sessionDescriptionBytes")),
        Case(name: "sdp_many_media", outcome: .failure("protocol", mentions: "CameraLimits.sessionDescriptionMedia")),
        Case(name: "sdp_binary", outcome: .failure("protocol", mentions: "not SDP")),
        Case(name: "status_line_garbage", outcome: .failure("protocol", mentions: "malformed RTSP status line")),
        Case(name: "binary_garbage", outcome: .failure("protocol", mentions: "not RTSP")),
        Case(name: "http_instead", outcome: .failure("protocol", mentions: "an HTTP server answered")),
        // Floods during the handshake and mid-stream.
        Case(name: "flood_empty_frames_handshake", outcome: .failure("timeout.handshake")),
        Case(name: "flood_stale_answers", outcome: .failure("protocol", mentions: "CameraLimits.skippedMessages")),
        Case(name: "flood_requests_handshake", outcome: .failure("protocol", mentions: "CameraLimits.skippedMessages")),
        Case(name: "flood_requests_midstream", outcome: .failure("protocol", mentions: "CameraLimits.skippedMessages")),
        Case(name: "flood_empty_frames_midstream", outcome: .failure("timeout.first_frame")),
        Case(name: "flood_other_channel_midstream", outcome: .failure("timeout.first_frame")),
        // Slowloris.
        Case(name: "slowloris_head", outcome: .failure("timeout.handshake")),
        Case(name: "slowloris_body", outcome: .failure("timeout.handshake")),
        Case(name: "silent_after_play", outcome: .failure("timeout.first_frame")),
        // Random and garbage RTP.
        Case(name: "rtp_random", outcome: .failure("undecodable")),
        Case(name: "rtp_not_rtp", outcome: .failure("timeout.first_frame")),
        Case(name: "rtp_truncated", outcome: .failure("timeout.first_frame")),
        // Absurd SDP and SPS values.
        Case(name: "sps_16000x16000", outcome: .failure("undecodable", mentions: "16000×16000")),
        Case(name: "sps_65536x65536", outcome: .failure("undecodable", mentions: "65536×65536")),
        Case(name: "sps_framerate_76790", outcome: .failure("protocol", mentions: "76790 fps")),
        Case(name: "sps_cropped_to_nothing", outcome: .failure("undecodable")),
        // FFmpeg ignores a=framesize; the SPS says what the picture is.
        Case(name: "sdp_framesize_absurd", outcome: .report(width: 320, height: 240)),
        // Interleaved channels beyond 255: left to FFmpeg's reader, refused there.
        Case(name: "transport_channel_300", outcome: .failure("protocol")),
        // Authentication oddities.
        Case(name: "auth_endless_401", outcome: .failure("unauthorized")),
        Case(name: "auth_bizarre_digest", outcome: .failure("unauthorized")),
        Case(name: "auth_unknown_digest_algorithm", outcome: .failure("unauthorized", mentions: "SHA-512-256")),
        Case(name: "auth_basic_echo_reason", outcome: .failure("protocol", mentions: "400 Basic ***")),
        Case(name: "auth_basic_echo_454", outcome: .failure("session_limit", mentions: "454 Basic ***")),
        Case(name: "auth_basic_echo_challenge", outcome: .failure("unauthorized", mentions: "Negotiate Basic ***")),
        Case(name: "auth_basic_echo_control_chars", outcome: .failure("protocol", mentions: "Basic ***")),
        // Redirect loops and cross-host redirects.
        Case(name: "redirect_loop_self", outcome: .failure("redirect", mentions: "CameraLimits.redirects")),
        Case(name: "redirect_loop_relative", outcome: .failure("redirect", mentions: "CameraLimits.redirects")),
        Case(name: "redirect_cross_host", outcome: .failure("redirect", mentions: "to rtsp://127.0.0.2:"), redirectsElsewhere: true),
        Case(name: "redirect_cross_port", outcome: .failure("redirect", mentions: "another host or port"), redirectsElsewhere: true),
        Case(name: "redirect_cross_host_with_userinfo", outcome: .failure("redirect", mentions: "rtsp://***@127.0.0.2:"), redirectsElsewhere: true),
        Case(name: "redirect_on_setup", outcome: .failure("redirect", mentions: "to rtsp://127.0.0.2:"), redirectsElsewhere: true),
        Case(name: "redirect_without_location", outcome: .failure("protocol", mentions: "without a Location")),
        // Same host and port: followed, with the credentials the target asks for.
        Case(name: "redirect_same_host_to_healthy", outcome: .report(width: 320, height: 240)),
        // The native client's TCP is refused; FFmpeg's UDP reader is redirected.
        Case(name: "tcp_refused_then_redirect", outcome: .failure("redirect", mentions: "to rtsp://127.0.0.2:"), redirectsElsewhere: true),
        Case(name: "ffmpeg_reader_cross_host", outcome: .failure("redirect", mentions: "to rtsp://127.0.0.2:"),
             arguments: ["--rtsp-client", "ffmpeg"], redirectsElsewhere: true),
        // FFmpeg's reader would allocate the body it is promised (1.2 GB in 3 s
        // with ffprobe); av_max_alloc refuses, and the answer never comes.
        Case(name: "ffmpeg_reader_body_2gb", outcome: .failure("timeout.handshake"), arguments: ["--rtsp-client", "ffmpeg"]),
        // Media: one-timestamp floods, frame floods, a resolution change, big units.
        Case(name: "one_timestamp_fragments", outcome: .failure("protocol", mentions: "CameraLimits.accessUnitBytes")),
        Case(name: "one_timestamp_slices", outcome: .failure("protocol", mentions: "CameraLimits.accessUnitBytes")),
        // Which frame-rate bound ends it first (frames counted in the window, or the rate of
        // their timestamps) depends on how fast the machine reads; both name the plausible rate.
        Case(name: "timestamps_90000fps", outcome: .failure("protocol", mentions: "beyond the plausible 300 fps")),
        Case(name: "resolution_change", outcome: .reportOf([320, 640])),
        Case(name: "giant_keyframe", outcome: .report(width: 320, height: 240)),
        Case(name: "session_id_10000", outcome: .failure("protocol", mentions: "CameraLimits.sessionIDLength")),
        Case(name: "session_timeout_tiny", outcome: .report(width: 320, height: 240)),
        // Controls: the fixture's own healthy cameras work.
        Case(name: "healthy", outcome: .report(width: 320, height: 240)),
        Case(name: "healthy_auth", outcome: .report(width: 320, height: 240)),
    ]

    static let options = ProbeOptions(window: 1, phaseTimeout: 2)
    /// Peak resident memory allowed for one `camprobe probe` of one camera. A
    /// healthy probe of the fixture peaks at about 64 MiB (Swift runtime, FFmpeg's
    /// libraries, one decoder); the unbounded cases of issue 12 reached 770 MB
    /// (16000×16000 SPS) to 2.19 GB (one-timestamp flood).
    static let peakMemoryLimit = 160 * 1024 * 1024

    @Test func everyFixtureCaseIsTested() async throws {
        let camera = try await HostileCamera.shared()
        #expect(Set(camera.description.cases.keys) == Set(Self.cases.map(\.name)))
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func hostileCamera_endsOnTimeInBoundedMemoryWithoutLeakingThePassword(_ hostile: Case) async throws {
        let camera = try await HostileCamera.shared()
        let url = try camera.url(hostile.name)
        let bound = ProbeBudget(start: 0, options: Self.options).overall + 1
        let run = try ProbeProcess.run(
            CLITests.binary,
            ["probe", "--json", "--timeout", "\(Self.options.phaseTimeout)", "--window", "\(Self.options.window)"] + hostile.arguments + [url],
            timeout: bound + 10)

        // No crash: it exited, 0 (up) or 1 (not up), on its own.
        #expect(run.signal == nil, "killed by signal \(run.signal ?? 0): \(run.stderr.suffix(400))")
        #expect(!run.killed)
        #expect(run.exitStatus == 0 || run.exitStatus == 1, "exit \(String(describing: run.exitStatus)): \(run.stderr.suffix(400))")
        #expect(run.seconds <= bound, "took \(run.seconds) s, bound \(bound) s")
        #expect(Sanitizer.active != nil || run.peakMemory <= Self.peakMemoryLimit, "peak RSS \(run.peakMemory / 1_048_576) MiB")

        // The password, in any form, nowhere in what the prober printed.
        for secret in camera.secretForms {
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret), "the password leaked as \(secret)")
        }
        // And never at the host it does not belong to.
        let elsewhere = try camera.receivedElsewhere(hostile.name)
        for text in elsewhere {
            #expect(!text.lowercased().contains("authorization"), "the other host was sent credentials: \(text.prefix(200))")
            for secret in camera.secretForms { #expect(!text.contains(secret)) }
        }
        if hostile.redirectsElsewhere { #expect(elsewhere.isEmpty, "the other host received \(elsewhere)") }

        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout.prefix(400))")
        let report = try #require(document["report"] as? [String: Any])
        let failure = report["failure"] as? [String: Any]
        let duration = try #require(report["duration"] as? Double)
        #expect(duration <= bound - 1 + 0.5, "the probe reports \(duration) s")
        let video = report["video"] as? [String: Any]
        // Whatever is reported is plausible: never an absurd size as a fact.
        if let width = video?["width"] as? Int, let height = video?["height"] as? Int {
            #expect(CameraLimits.isPlausible(width: width, height: height), "\(width)x\(height)")
        }
        switch hostile.outcome {
        case .failure(let code, let mentions):
            let message = failure?["message"] as? String ?? ""
            let qualified = (failure?["code"] as? String).map { $0 == "timeout" ? "timeout.\(failure?["phase"] as? String ?? "")" : $0 }
            #expect(qualified == code, "\(message)")
            if let mentions { #expect(message.contains(mentions), "\(message)") }
            // One line an operator can read: camera text capped, no control characters.
            #expect(message.count <= 400, "\(message.count) characters")
            #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(message)")
            #expect(run.exitStatus == 1)
        case .report(let width, let height):
            #expect(failure == nil, "\(failure ?? [:])")
            #expect(video?["width"] as? Int == width && video?["height"] as? Int == height)
            #expect(run.exitStatus == 0)
        case .reportOf(let widths):
            #expect(failure == nil, "\(failure ?? [:])")
            #expect(widths.contains(video?["width"] as? Int ?? 0))
        }
    }
}

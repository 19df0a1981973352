internal import CFFmpeg
import CamProbeCore
import Foundation

/// One probe of one stream, start to finish, on the calling thread. Every
/// blocking call is bounded by the deadlines of `ProbeBudget`, enforced through
/// the interrupt state at the lowest layer. The network session is closed (RTSP
/// TEARDOWN) as soon as the window is measured; keyframes are decoded after
/// that, so the camera's session slot is held no longer than the measurement.
struct StreamProbe {
    let url: StreamURL
    let options: ProbeOptions
    let interrupt: InterruptState
    let workspace: ProbeWorkspace
    let thresholds: PictureThresholds
    let previousSignature: PictureSignature?
    /// The camera's last decoded picture, which this probe may carry instead of
    /// decoding when ``ProbeOptions/pictureCarryAge`` is set (``PictureCarry``).
    var lastDecoded: DecodedPicture? = nil

    func run() -> ProbeReport {
        let startedAt = Date()
        let start = MonotonicClock.now()
        let budget = ProbeBudget(start: start, options: options)
        var report = ProbeReport(target: url.redacted, startedAt: startedAt)
        FFmpegLog.beginCapture()
        defer { _ = FFmpegLog.endCapture() }
        do throws(ProbeFailure) {
            try measure(budget: budget, report: &report)
        } catch {
            // A limit that ended the probe from below (through FFmpeg, which only
            // says AVERROR_EXIT) is the reason, not what the reader made of it.
            report.failure = interrupt.isCancelled ? ProbeFailure(.cancelled, "probe cancelled") : interrupt.abortFailure ?? error
        }
        if var failure = report.failure {
            // The last line of defence: whatever path camera text took into the
            // message, no secret of this URL leaves the probe.
            failure.message = CameraSecrets(url).scrub(failure.message, minimumLength: 4)
            report.failure = failure
        }
        workspace.shrinkAfterProbe()
        report.duration = MonotonicClock.now() - start
        return report
    }

    private func elapsed(_ budget: ProbeBudget) -> Double { MonotonicClock.now() - budget.start }

    private func measure(budget: ProbeBudget, report: inout ProbeReport) throws(ProbeFailure) {
        var session = try openFollowingRedirects(budget: budget, report: &report)
        report.timings.playing = elapsed(budget)
        try PlausibleVideo.check(&report)
        let sample = try session.sample(budget: budget, report: &report)
        session.close()
        if let failure = interrupt.abortFailure { throw failure }
        try PlausibleVideo.check(&report)
        try judgePicture(sample, report: &report)
    }

    /// Opens the stream, following redirects as `RedirectPolicy` allows: each
    /// hop is resolved and connected anew; credentials go only to the
    /// configured host and port.
    private func openFollowingRedirects(budget: ProbeBudget, report: inout ProbeReport) throws(ProbeFailure) -> OpenSession {
        let policy = RedirectPolicy(origin: url)
        var target = url
        var followed = 0
        while true {
            switch try connectAndOpen(target, policy: policy, followed: followed, budget: budget, report: &report) {
            case .session(let session):
                return session
            case .redirected(let status, let location):
                switch policy.decide(status: status, location: location, from: target, followed: followed) {
                case .follow(let next):
                    target = next
                    followed += 1
                case .refuse(let failure):
                    throw failure
                }
            }
        }
    }

    private enum Opened {
        case session(OpenSession)
        case redirected(status: Int, location: String?)
    }

    private func connectAndOpen(
        _ target: StreamURL, policy: RedirectPolicy, followed: Int, budget: ProbeBudget, report: inout ProbeReport
    ) throws(ProbeFailure) -> Opened {
        var address = target.unredacted
        let hostLabel = target.host.contains(":") ? "[\(target.host)]:\(target.port)" : "\(target.host):\(target.port)"
        var connected: (socket: TCPSocket, addresses: [SocketAddress])?
        if target.scheme != .file {
            let addresses = try HostResolver.resolve(
                host: target.host, port: target.port, deadline: budget.deadline(for: .resolve, startingAt: MonotonicClock.now()))
            report.timings.resolved = elapsed(budget)
            let socket = try TCPPreflight.connect(
                to: addresses, hostLabel: hostLabel, deadline: budget.deadline(for: .connect, startingAt: MonotonicClock.now()))
            report.timings.connected = elapsed(budget)
            connected = (socket, addresses)
            // Connect by the address we resolved (FFmpeg's own getaddrinfo ignores the
            // interrupt callback). TLS keeps the name for SNI.
            if target.scheme == .rtsp || target.scheme == .http {
                address = target.replacingHost(with: socket.address.host)
            }
        }
        let redirects = RedirectGuard(policy: policy, current: target, followed: followed, interrupt: interrupt)
        return try open(
            target, address: address, connected: connected, hostLabel: hostLabel, redirects: redirects, budget: budget, report: &report)
    }

    // MARK: Opening

    private func open(
        _ target: StreamURL, address: String, connected: (socket: TCPSocket, addresses: [SocketAddress])?, hostLabel: String,
        redirects: RedirectGuard, budget: ProbeBudget, report: inout ProbeReport
    ) throws(ProbeFailure) -> Opened {
        var transports = ReaderTransport.candidates(scheme: target.scheme, choice: options.transport)
        var lastFailure: ProbeFailure?
        if target.scheme == .rtsp, options.rtspClient == .native, transports.first == .rtspTCP, let connected {
            do throws(RTSPOpenError) {
                return .session(try openNative(
                    target, socket: connected.socket, addresses: connected.addresses, hostLabel: hostLabel, budget: budget, report: &report))
            } catch {
                switch error {
                case .failed(let failure):
                    throw failure
                case .redirected(let status, let location):
                    connected.socket.close()
                    return .redirected(status: status, location: location)
                case .transportRefused(let failure):
                    // Cameras that refuse interleaved TCP answer 461 Unsupported Transport.
                    lastFailure = failure
                    transports.removeFirst()
                case .unsupported:
                    // A transport answer the native client leaves to FFmpeg's
                    // reader, which takes over from the start.
                    break
                }
            }
        }
        // FFmpeg's reader makes its own connection.
        connected?.socket.close()
        for transport in transports {
            interrupt.deadline = budget.deadline(for: .handshake, startingAt: MonotonicClock.now())
            do {
                // FFmpeg's reader follows redirects on its own; the guard holds it
                // to the same policy (and stops it before it writes to a host the
                // credentials do not belong to).
                let input = try FormatInput(
                    url: address, options: transport.formatOptions(phaseTimeout: options.phaseTimeout), interrupt: interrupt,
                    closeTimeout: min(1, options.phaseTimeout), redirects: target.scheme == .rtsp || target.scheme == .rtsps ? redirects : nil)
                report.transport = transport.reportName
                return .session(try OpenSession(input: input, context: sessionContext, report: &report))
            } catch let error as FFmpegOpenError {
                let refusal = classifyOpenError(error.code, hostLabel: hostLabel)
                // Cameras that refuse interleaved TCP answer 461 Unsupported Transport.
                if transport == .rtspTCP, refusal.refusesTransport {
                    lastFailure = refusal.failure
                    continue
                }
                throw refusal.failure
            } catch let failure as ProbeFailure {
                throw failure
            } catch {
                throw ProbeFailure(.protocolError, phase: .handshake, "\(error)")
            }
        }
        throw lastFailure ?? ProbeFailure(.protocolError, phase: .handshake, "no transport to try")
    }

    /// RTSP over TCP through the native client; the media still goes through
    /// FFmpeg's RTP depacketizers (its SDP reader with custom I/O).
    private func openNative(
        _ target: StreamURL, socket: TCPSocket, addresses: [SocketAddress], hostLabel: String, budget: ProbeBudget, report: inout ProbeReport
    ) throws(RTSPOpenError) -> OpenSession {
        interrupt.deadline = budget.deadline(for: .handshake, startingAt: MonotonicClock.now())
        let buffer = workspace.receiveBuffer
        let interrupt = self.interrupt
        let client = RTSPClient(
            connection: RTSPConnection(socket: socket, buffer: buffer, interrupt: interrupt), url: target, hostLabel: hostLabel,
            phaseTimeout: options.phaseTimeout,
            reconnect: { [first = socket.address] () throws(ProbeFailure) -> RTSPConnection in
                let socket = try TCPPreflight.connect(to: [first] + addresses.filter { $0 != first }, hostLabel: hostLabel, deadline: interrupt.deadline)
                return RTSPConnection(socket: socket, buffer: buffer, interrupt: interrupt)
            })
        let playback = try client.start()
        let input: FormatInput
        do throws(FFmpegOpenError) {
            let packets = try RTPPacketIO(client: client, playback: playback, interrupt: interrupt)
            input = try FormatInput(packets: packets, interrupt: interrupt, closeTimeout: min(1, options.phaseTimeout))
        } catch {
            client.teardown()
            throw .failed(ProbeFailure(.protocolError, phase: .handshake, "FFmpeg could not read the session description: \(error.code.text)"))
        }
        report.transport = ReaderTransport.rtspTCP.reportName
        do throws(ProbeFailure) {
            let session = try OpenSession(input: input, context: sessionContext, report: &report)
            // FFmpeg sees only the video section; the description told of audio.
            report.audioPresent = playback.audioPresent
            return session
        } catch {
            throw .failed(error)
        }
    }

    /// What the session needs of this probe, handed over once.
    private var sessionContext: SessionContext {
        SessionContext(
            interrupt: interrupt, options: options, workspace: workspace, isLive: url.scheme != .file,
            keepsTwoKeyframes: keepsTwoKeyframes)
    }

    /// Turns FFmpeg's error (and the lines it logged) into a stable code, with
    /// the RTSP status the camera answered.
    func classifyOpenError(_ code: AVErrorCode, hostLabel: String) -> OpenRefusal {
        let status = Self.rtspStatus(in: FFmpegLog.captured())
        return OpenRefusal(failure: openFailure(code, status: status, hostLabel: hostLabel), rtspStatus: status?.code)
    }

    private func openFailure(_ code: AVErrorCode, status: (code: Int, reason: String)?, hostLabel: String) -> ProbeFailure {
        let log = FFmpegLog.captured()
        if interrupt.fired || code == .exit || code == .posix(ETIMEDOUT) {
            return ProbeFailure(.timeout, phase: .handshake, "\(hostLabel) accepted the connection but gave no valid \(url.scheme == .http || url.scheme == .https ? "HTTP" : "RTSP") answer within \(formatSeconds(options.phaseTimeout))")
        }
        switch code.code {
        case cp_averror_http_unauthorized():
            return .rtspStatus(401, reason: "Unauthorized", urlHasCredentials: url.hasCredentials)
        case cp_averror_http_forbidden():
            return .rtspStatus(403, reason: "Forbidden", urlHasCredentials: url.hasCredentials)
        case cp_averror_http_not_found():
            return .rtspStatus(404, reason: "Not Found", urlHasCredentials: url.hasCredentials)
        case cp_averror(ECONNREFUSED):
            return ProbeFailure(.refused, phase: .connect, "\(hostLabel): connection refused")
        case cp_averror(EHOSTUNREACH), cp_averror(ENETUNREACH):
            return ProbeFailure(.unreachable, phase: .connect, "\(hostLabel): \(code.text.lowercased())")
        default:
            break
        }
        if let status {
            return .rtspStatus(status.code, reason: CameraText.sanitized(status.reason, secrets: CameraSecrets(url)), urlHasCredentials: url.hasCredentials)
        }
        if url.scheme == .rtsps || url.scheme == .https, log.contains(where: Self.looksLikeTLS) || code == .posix(EIO) {
            let line = Redaction.redactURLs(in: log.first(where: Self.looksLikeTLS) ?? code.text)
            return ProbeFailure(.tls, phase: .handshake, "TLS handshake with \(hostLabel) failed: \(CameraText.sanitized(line, secrets: CameraSecrets(url)))")
        }
        if code.code == cp_averror_invaliddata() {
            return ProbeFailure(.protocolError, phase: .handshake, "\(hostLabel) did not answer with a valid stream (not RTSP/HTTP media)")
        }
        let detail = log.last.map { CameraText.sanitized(Redaction.redactURLs(in: $0), secrets: CameraSecrets(url)) } ?? code.text
        return ProbeFailure(.protocolError, phase: .handshake, "could not open the stream: \(detail)")
    }

    static func looksLikeTLS(_ line: String) -> Bool {
        let lower = line.lowercased()
        return lower.contains("tls") || lower.contains("ssl") || lower.contains("certificate") || lower.contains("gnutls")
    }

    /// FFmpeg logs "method DESCRIBE failed: 454 Session Not Found".
    static func rtspStatus(in lines: [String]) -> (code: Int, reason: String)? {
        for line in lines {
            guard let range = line.range(of: "failed: ") else { continue }
            let tail = line[range.upperBound...]
            let digits = tail.prefix(while: { $0.isNumber })
            if digits.count == 3, let code = Int(digits) {
                let reason = tail.dropFirst(3).trimmingCharacters(in: .whitespaces)
                return (code, reason)
            }
        }
        return nil
    }

    // MARK: Picture

    /// The window keeps its two latest keyframes whenever two may be decoded. The
    /// earlier one is decoded when there is no previous picture to compare with, or to
    /// confirm a picture that looks frozen against the previous probe's: a frozen
    /// verdict then rests on two comparisons, minutes and seconds apart.
    var keepsTwoKeyframes: Bool {
        options.decodePicture && options.maxDecodedKeyframes >= 2
    }

    private func judgePicture(_ sample: WindowSample, report: inout ProbeReport) throws(ProbeFailure) {
        guard options.decodePicture else { return }
        guard sample.hasLatestKeyframe else {
            throw ProbeFailure(.undecodable, phase: .window, "no keyframe arrived within the window: the picture could not be checked")
        }
        if let carried = carriedPicture(report) {
            report.picture = carried
            return
        }
        try workspace.decoders.withDecoders { (decoders: DecoderCache) throws(ProbeFailure) in
            try judgePicture(sample, decoders: decoders, report: &report)
        }
    }

    /// The last decoded picture, when this probe may carry it: no snapshot is
    /// wanted (a snapshot needs the picture decoded) and ``PictureCarry`` allows it.
    private func carriedPicture(_ report: ProbeReport) -> PictureReport? {
        guard let lastDecoded, let maxAge = options.pictureCarryAge, !options.snapshot else { return nil }
        let bytes = workspace.latestKeyframePictureBytes
        let isStatic = thresholds.isStatic(quietFrameBytesPerMegapixel: report.video?.quietFrameBytesPerMegapixel)
        guard PictureCarry.allows(
            lastDecoded, keyframeBytes: bytes, video: report.video, isStatic: isStatic, at: Date(), maxAge: maxAge)
        else { return nil }
        return PictureCarry.carried(lastDecoded, keyframeBytes: bytes)
    }

    private func judgePicture(_ sample: WindowSample, decoders: DecoderCache, report: inout ProbeReport) throws(ProbeFailure) {
        guard let decoder = decoders.decoder(for: sample.codecID, extradata: sample.decoderExtradata) else {
            throw ProbeFailure(.unsupportedCodec, phase: .decode, "no decoder for \(sample.codecName)")
        }
        guard let picture = decoder.decode(
            prefix: sample.inBandPrefix, accessUnit: workspace.latestKeyframe,
            snapshotAt: options.snapshot ? report.startedAt : nil) else {
            throw ProbeFailure(.undecodable, phase: .decode, "the keyframe could not be decoded")
        }
        report.snapshot = picture.snapshot
        if report.video?.width == nil {
            report.video?.width = picture.width
            report.video?.height = picture.height
            report.video?.resolutionSource = .decoded
        }
        let statistics = PictureStatistics(picture.thumbnail)
        let density = report.video?.quietFrameBytesPerMegapixel
        var comparisons: [PictureComparison] = []
        if let previousSignature {
            comparisons.append(PictureComparison(statistics.signature, against: previousSignature, reference: .previousProbe))
        }
        let looksFrozen = thresholds.emptiness(statistics) == nil
            && thresholds.frozen(comparisons: comparisons, quietFrameBytesPerMegapixel: density)
        var decoded = 1
        var keyframeDifference: Double?
        let freezePossible = !options.earlierKeyframeOnlyWhenStatic
            || thresholds.isStatic(quietFrameBytesPerMegapixel: density) != false
        if keepsTwoKeyframes, sample.hasPreviousKeyframe, freezePossible, previousSignature == nil || looksFrozen,
           let earlier = decoder.decode(prefix: sample.inBandPrefix, accessUnit: workspace.previousKeyframe) {
            decoded += 1
            let comparison = PictureComparison(
                picture.thumbnail, against: earlier.thumbnail, sourceWidth: picture.width, reference: .earlierKeyframe)
            keyframeDifference = comparison.difference
            comparisons.insert(comparison, at: 0)
        }
        report.picture = PictureReport(
            statistics: statistics,
            flags: thresholds.assess(statistics, comparisons: comparisons, quietFrameBytesPerMegapixel: density),
            decodedKeyframes: decoded, keyframeDifference: keyframeDifference, comparisons: comparisons)
        report.picture?.keyframeBytes = workspace.latestKeyframePictureBytes
    }
}

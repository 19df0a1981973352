internal import CFFmpeg
import CamProbeCore
import Glibc

/// What the RTSP handshake set up: the session description FFmpeg's SDP
/// reader gets, and the interleaved channels the media arrives on.
struct RTSPPlayback {
    /// Session lines and the one video section played.
    let sessionDescription: String
    let audioPresent: Bool
    let rtpChannel: UInt8
    let rtcpChannel: UInt8
    /// PLAY's `Range` answer (`npt=0.000-`, a recorder's `clock=20240105T013000Z-`).
    var playRange: String? = nil
}

/// How the native RTSP handshake can end without a playing session.
enum RTSPOpenError: Error {
    /// The probe has its answer (refused credentials, no such stream, …).
    case failed(ProbeFailure)
    /// The camera refuses RTP over TCP (461): try UDP.
    case transportRefused(ProbeFailure)
    /// Something this client leaves to FFmpeg's RTSP reader (a transport
    /// answer it did not ask for); the reason is for the debug log.
    case unsupported(String)
    /// A 3xx: the probe decides where to go on (`RedirectPolicy`).
    case redirected(status: Int, location: String?)
}

/// The native RTSP client (RFC 2326): DESCRIBE, SETUP of the video track with
/// RTP interleaved over TCP, PLAY, and TEARDOWN, with Basic or Digest
/// credentials from the URL. Media is not parsed here: the RTP packets go to
/// FFmpeg's depacketizers (`RTPPacketIO`).
final class RTSPClient {
    private(set) var connection: RTSPConnection
    private let url: StreamURL
    /// What the camera must never see echoed into a message.
    let secrets: CameraSecrets
    private let hostLabel: String
    private let phaseTimeout: Double
    private let reconnect: () throws(ProbeFailure) -> RTSPConnection
    /// The URL requests go to, without user-info.
    private let requestURL: String
    private var cseq = 0
    private var authorizer: RTSPAuthorizer?
    private var session: String?
    private var aggregateURL: String
    /// The session's timeout, from SETUP's answer, and when a request last went out.
    private var sessionTimeout = 60.0
    private var lastRequest = 0.0
    /// The last request sent, for messages.
    private var method = "DESCRIBE"
    private var answered = false

    init(
        connection: RTSPConnection, url: StreamURL, hostLabel: String, phaseTimeout: Double,
        reconnect: @escaping () throws(ProbeFailure) -> RTSPConnection
    ) {
        self.connection = connection
        self.url = url
        self.secrets = CameraSecrets(url)
        self.hostLabel = hostLabel
        self.phaseTimeout = phaseTimeout
        self.reconnect = reconnect
        self.requestURL = url.withoutUserInfo
        self.aggregateURL = requestURL
    }

    // MARK: The handshake

    /// - Parameter range: PLAY's `Range` (live: from now on).
    func start(range playFrom: String = "npt=0.000-") throws(RTSPOpenError) -> RTSPPlayback {
        let describe = try exchange("DESCRIBE", requestURL, [RTSPRequest.Header("Accept", "application/sdp")])
        guard !describe.body.isEmpty else {
            throw .failed(ProbeFailure(.protocolError, phase: .handshake, "camera answered DESCRIBE without a session description"))
        }
        let description: SessionDescription
        do {
            description = try SessionDescription(parsing: String(decoding: describe.body, as: UTF8.self))
        } catch {
            throw .failed(ProbeFailure(.protocolError, phase: .handshake, "camera answered DESCRIBE with a broken session description: \(CameraText.sanitized(error.description, secrets: secrets))"))
        }
        guard let video = description.video else {
            if description.media.contains(where: { $0.kind == "video" }) {
                throw .unsupported("the video section is not RTP")
            }
            throw .failed(ProbeFailure(.noVideo, phase: .handshake, description.hasAudio ? "the stream carries audio only, no video" : "the stream carries no video"))
        }
        let base = RTSPControlURL.base(
            contentBase: describe.header("Content-Base"), contentLocation: describe.header("Content-Location"), requestURL: requestURL)
        aggregateURL = RTSPControlURL.aggregate(sessionControl: description.control, base: base)
        let trackURL = RTSPControlURL.resolve(video.control, base: base)

        let setup = try exchange("SETUP", trackURL, [RTSPRequest.Header("Transport", RTSPTransport.interleavedRequest)])
        guard let sessionHeader = setup.header("Session"), !RTSPTransport.sessionID(sessionHeader).isEmpty else {
            throw .failed(ProbeFailure(.protocolError, phase: .handshake, "camera answered SETUP without a session id"))
        }
        let sessionID = RTSPTransport.sessionID(sessionHeader)
        // Echoed in every later request: an enormous one would be sent back and forth.
        guard sessionID.utf8.count <= CameraLimits.sessionIDLength else {
            throw .failed(ProbeFailure(.protocolError, phase: .handshake, "camera answered SETUP with a session id of \(sessionID.utf8.count) bytes (at most \(CameraLimits.sessionIDLength), CameraLimits.sessionIDLength)"))
        }
        session = sessionID
        sessionTimeout = RTSPTransport.sessionTimeout(sessionHeader)
        guard let channels = setup.header("Transport").flatMap(RTSPTransport.interleavedChannels) else {
            throw .unsupported("SETUP answered with a transport that is not interleaved: \(CameraText.sanitized(setup.header("Transport") ?? "none", secrets: secrets))")
        }

        let range = RTSPRequest.Header("Range", playFrom)
        let play: RTSPResponse
        do {
            do {
                play = try exchange("PLAY", aggregateURL, [range])
            } catch .failed(let failure) where failure.message.contains("(459 ") && aggregateURL != trackURL {
                // 459 Aggregate Operation Not Allowed: play the one track instead.
                aggregateURL = trackURL
                play = try exchange("PLAY", aggregateURL, [range])
            }
        } catch {
            // The session was set up: a DVR would hold its slot until it times out.
            teardown()
            throw error
        }
        return RTSPPlayback(
            sessionDescription: description.text(keeping: video), audioPresent: description.hasAudio,
            rtpChannel: channels.rtp, rtcpChannel: channels.rtcp,
            playRange: play.header("Range").map { CameraText.sanitized($0, secrets: secrets) })
    }

    /// A GET_PARAMETER once half the session timeout has passed since the last
    /// request, so a long window does not outlive the session. Not waited
    /// for: its answer is skipped among the media.
    func keepAliveIfDue(now: Double) {
        guard now - lastRequest >= sessionTimeout / 2, let request = sessionRequest("GET_PARAMETER") else { return }
        lastRequest = now
        request.withUnsafeBytes { connection.sendIfWritable($0) }
    }

    /// TEARDOWN, sent and not waited for (as FFmpeg does): the camera frees the
    /// session slot at once, and again when the connection closes. The caller
    /// sets the deadline.
    func teardown() {
        guard let request = sessionRequest("TEARDOWN") else { return }
        try? connection.send(request)
        session = nil
    }

    /// A request on the aggregate URL of the playing session, not waited for;
    /// nil when no session is set up.
    private func sessionRequest(_ method: String) -> [UInt8]? {
        guard let session else { return nil }
        cseq += 1
        let headers = [RTSPRequest.Header("Session", session)] + commonHeaders(method: method, uri: aggregateURL)
        return RTSPRequest(method: method, uri: aggregateURL, headers: headers).encoded(cseq: cseq)
    }

    // MARK: Requests

    /// Sends one request and returns its 2xx answer; answers a 401 challenge
    /// once per request when the URL has credentials.
    private func exchange(_ method: String, _ uri: String, _ headers: [RTSPRequest.Header]) throws(RTSPOpenError) -> RTSPResponse {
        self.method = method
        var challenged = false
        var reconnected = false
        while true {
            cseq += 1
            var all = headers
            if let session { all.append(RTSPRequest.Header("Session", session)) }
            all += commonHeaders(method: method, uri: uri)
            let response: RTSPResponse
            do throws(RTSPConnectionError) {
                lastRequest = MonotonicClock.now()
                try connection.send(RTSPRequest(method: method, uri: uri, headers: all).encoded(cseq: cseq))
                var answer = try connection.readResponse()
                // A late answer to an earlier request is not this one's; a camera
                // that keeps sending stale answers is a flood.
                var stale = 0
                while let got = answer.cseq, got < cseq {
                    stale += 1
                    if stale > CameraLimits.skippedMessages { throw RTSPConnectionError.flood(stale) }
                    answer = try connection.readResponse()
                }
                response = answer
            } catch .closed where challenged && !reconnected {
                // Some cameras close the connection after a 401.
                reconnected = true
                try reconnectNow()
                continue
            } catch {
                throw .failed(failure(error))
            }
            answered = true
            if response.status == 401, !challenged, let credentials = url.credentials,
               let challenge = RTSPChallenge.best(of: response.headers("WWW-Authenticate")) {
                challenged = true
                authorizer = RTSPAuthorizer(
                    challenge: challenge, user: credentials.user, password: credentials.password, cnonce: Self.clientNonce())
                if response.header("Connection")?.lowercased().contains("close") == true {
                    reconnected = true
                    try reconnectNow()
                }
                continue
            }
            try check(response, method: method)
            return response
        }
    }

    private func reconnectNow() throws(RTSPOpenError) {
        do throws(ProbeFailure) { connection = try reconnect() } catch { throw .failed(error) }
    }

    private func commonHeaders(method: String, uri: String) -> [RTSPRequest.Header] {
        var headers = [RTSPRequest.Header("User-Agent", "CamProbe/1")]
        // Optional chaining mutates the stored authorizer (its Digest counter) in place.
        if let value = authorizer?.authorization(method: method, uri: uri, md5: Self.md5Hex) {
            headers.append(RTSPRequest.Header("Authorization", value))
        }
        return headers
    }

    /// Turns an error status into the probe's stable codes.
    private func check(_ response: RTSPResponse, method: String) throws(RTSPOpenError) {
        let status = response.status
        switch status {
        case 200..<300:
            return
        case 300..<400:
            throw .redirected(status: status, location: response.header("Location"))
        case 401 where url.credentials != nil && RTSPChallenge.best(of: response.headers("WWW-Authenticate")) == nil:
            let offered = CameraText.sanitized(response.headers("WWW-Authenticate").first ?? "none", secrets: secrets)
            throw .failed(ProbeFailure(.unauthorized, phase: .handshake, "camera asks for an authentication scheme the prober cannot answer (\(offered))"))
        case 461:
            throw .transportRefused(ProbeFailure(.protocolError, phase: .handshake, "camera refuses RTP over TCP (\(status) \(reason(of: response)))"))
        default:
            throw .failed(.rtspStatus(status, reason: reason(of: response), method: method, urlHasCredentials: url.hasCredentials))
        }
    }

    /// The camera's reason phrase, fit for a message.
    private func reason(of response: RTSPResponse) -> String {
        CameraText.sanitized(response.reason, secrets: secrets)
    }

    /// The connection error in words, camera text made safe.
    func describe(_ error: RTSPConnectionError) -> String {
        if case .message(let message) = error { return message.description(secrets: secrets) }
        return error.text
    }

    private func failure(_ error: RTSPConnectionError) -> ProbeFailure {
        switch error {
        case .interrupted:
            if answered {
                return ProbeFailure(.timeout, phase: .handshake, "camera stopped answering during the RTSP handshake: no answer to \(method) within \(formatSeconds(phaseTimeout))")
            }
            return ProbeFailure(.timeout, phase: .handshake, "\(hostLabel) accepted the connection but gave no valid RTSP answer within \(formatSeconds(phaseTimeout))")
        case .closed:
            return ProbeFailure(.protocolError, phase: .handshake, "\(hostLabel) closed the connection during the RTSP handshake (no answer to \(method))")
        case .system(let code):
            return ProbeFailure(code == ECONNRESET ? .protocolError : .unreachable, phase: .handshake, "\(hostLabel): \(error.text) during the RTSP handshake")
        case .message:
            return ProbeFailure(.protocolError, phase: .handshake, "\(hostLabel) did not answer with RTSP: \(describe(error))")
        case .flood, .tooLarge:
            return ProbeFailure(.protocolError, phase: .handshake, "\(hostLabel) during the RTSP handshake (\(method)): \(describe(error))")
        }
    }

    // MARK: Digest helpers

    static func md5Hex(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: 16)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { av_md5_sum(&digest, $0.baseAddress, $0.count) }
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func clientNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }
}

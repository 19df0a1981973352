import CamProbeCore
import Foundation
import Glibc
@testable import Probe
import Testing

/// The native client's conversation with a scripted camera on a real socket
/// pair: which requests it sends, in which order, to which URLs, with which
/// credentials, and what it makes of the answers.
@Suite struct RTSPClientTests {
    /// A camera that answers each request with the next scripted reply (the
    /// CSeq filled in) and records what it was sent.
    final class ScriptedCamera: @unchecked Sendable {
        let fd: Int32
        private let replies: [String]
        private(set) var requests: [String] = []
        private let done = DispatchSemaphore(value: 0)

        init(fd: Int32, replies: [String]) {
            self.fd = fd
            self.replies = replies
            let thread = Thread { [self] in serve() }
            thread.start()
        }

        private func serve() {
            var buffered = ""
            var chunk = [UInt8](repeating: 0, count: 4096)
            var index = 0
            while index < replies.count {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                buffered += String(decoding: chunk[..<count], as: UTF8.self)
                while let end = buffered.range(of: "\r\n\r\n"), index < replies.count {
                    let request = String(buffered[..<end.lowerBound])
                    buffered = String(buffered[end.upperBound...])
                    requests.append(request)
                    let cseq = request.split(separator: "\r\n").first { $0.hasPrefix("CSeq:") }.map { $0.dropFirst(5).trimmingCharacters(in: .whitespaces) } ?? "0"
                    let reply = replies[index].replacingOccurrences(of: "{cseq}", with: cseq)
                    index += 1
                    _ = Array(reply.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                }
            }
            done.signal()
        }

        func waitUntilServed() { _ = done.wait(timeout: .now() + 5) }

        /// What came after the scripted replies (the keep-alive, the TEARDOWN).
        func drain() -> String {
            var chunk = [UInt8](repeating: 0, count: 4096)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            return count > 0 ? String(decoding: chunk[..<count], as: UTF8.self) : ""
        }
    }

    static let sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=cam\r\nt=0 0\r\na=control:*\r\nm=audio 0 RTP/AVP 0\r\na=control:trackID=2\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=1\r\n"

    static func ok(_ headers: String = "", body: String = "") -> String {
        "RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\n\(headers)" + (body.isEmpty ? "\r\n" : "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    /// The client on one end of a socket pair (which owns both ends and the
    /// buffer), the scripted camera on the other.
    func client(url: String, replies: [String]) throws -> (RTSPClient, ScriptedCamera, RTSPConnectionTests.Pair) {
        let pair = RTSPConnectionTests.Pair()
        pair.interrupt.deadline = MonotonicClock.now() + 3
        let camera = ScriptedCamera(fd: pair.camera, replies: replies)
        let client = RTSPClient(
            connection: pair.connection, url: try StreamURL(parsing: url), hostLabel: "10.0.0.5:554", phaseTimeout: 3,
            reconnect: { () throws(ProbeFailure) -> RTSPConnection in throw ProbeFailure(.refused, "no second connection in this test") })
        return (client, camera, pair)
    }

    @Test func handshake_digestChallenge_setupOfTheVideoTrack_playAndTeardown() throws {
        let (client, camera, pair) = try client(url: "rtsp://admin:pa%40ss@10.0.0.5/live", replies: [
            "RTSP/1.0 401 Unauthorized\r\nCSeq: {cseq}\r\nWWW-Authenticate: Basic realm=\"cam\"\r\nWWW-Authenticate: Digest realm=\"cam\", nonce=\"abc123\"\r\n\r\n",
            Self.ok("Content-Base: rtsp://10.0.0.5/live/\r\nContent-Type: application/sdp\r\n", body: Self.sdp),
            Self.ok("Session: 5E1F;timeout=2\r\nTransport: RTP/AVP/TCP;unicast;interleaved=4-5\r\n"),
            Self.ok("Session: 5E1F\r\nRTP-Info: url=rtsp://10.0.0.5/live/trackID=1;seq=1\r\n"),
        ])
        defer { withExtendedLifetime(pair) {} }
        let playback = try client.start()
        camera.waitUntilServed()
        #expect(playback.rtpChannel == 4 && playback.rtcpChannel == 5)
        #expect(playback.audioPresent)
        #expect(!playback.sessionDescription.contains("m=audio"))
        #expect(playback.sessionDescription.contains("m=video 0 RTP/AVP 96"))
        let lines = camera.requests.map { $0.split(separator: "\r\n").map(String.init) }
        #expect(lines.map { $0[0] } == [
            "DESCRIBE rtsp://10.0.0.5/live RTSP/1.0", "DESCRIBE rtsp://10.0.0.5/live RTSP/1.0",
            "SETUP rtsp://10.0.0.5/live/trackID=1 RTSP/1.0", "PLAY rtsp://10.0.0.5/live/ RTSP/1.0",
        ])
        // Digest chosen over Basic, with the percent-decoded password, for each request's own URI.
        let ha1 = RTSPClient.md5Hex("admin:cam:pa@ss")
        let describeResponse = RTSPClient.md5Hex("\(ha1):abc123:\(RTSPClient.md5Hex("DESCRIBE:rtsp://10.0.0.5/live"))")
        #expect(!camera.requests[0].contains("Authorization"))
        #expect(camera.requests[1].contains("Authorization: Digest username=\"admin\", realm=\"cam\", nonce=\"abc123\", uri=\"rtsp://10.0.0.5/live\", response=\"\(describeResponse)\""))
        #expect(camera.requests[2].contains("uri=\"rtsp://10.0.0.5/live/trackID=1\""))
        #expect(camera.requests[2].contains("Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))
        #expect(camera.requests[3].contains("Session: 5E1F"))
        #expect(camera.requests[3].contains("Range: npt=0.000-"))
        // Nothing ever carries the password or the user-info.
        #expect(!camera.requests.joined().contains("pa@ss") && !camera.requests.joined().contains("pa%40ss"))
        // Half the 2 s session timeout later, a keep-alive; then the TEARDOWN.
        client.keepAliveIfDue(now: MonotonicClock.now())
        Thread.sleep(forTimeInterval: 1.05)
        client.keepAliveIfDue(now: MonotonicClock.now())
        client.teardown()
        Thread.sleep(forTimeInterval: 0.05)
        let after = camera.drain()
        #expect(after.hasPrefix("GET_PARAMETER rtsp://10.0.0.5/live/ RTSP/1.0\r\nCSeq: 5\r\nSession: 5E1F\r\n"), "\(after)")
        #expect(after.contains("TEARDOWN rtsp://10.0.0.5/live/ RTSP/1.0\r\nCSeq: 6\r\nSession: 5E1F\r\n"))
        #expect(after.components(separatedBy: "GET_PARAMETER").count == 2)
    }

    @Test func handshake_failures_areClassified() throws {
        func failure(_ replies: [String], url: String = "rtsp://10.0.0.5/live") throws -> RTSPOpenError? {
            let (client, camera, pair) = try client(url: url, replies: replies)
            // The camera keeps its end open until the client is done with it.
            defer { withExtendedLifetime((camera, pair)) {} }
            do {
                _ = try client.start()
                return nil
            } catch {
                return error
            }
        }
        func code(_ error: RTSPOpenError?) -> String {
            switch error {
            case .failed(let failure): return failure.qualifiedCode
            case .transportRefused: return "461"
            case .unsupported: return "unsupported"
            case .redirected(let status, let location): return "\(status) \(location ?? "-")"
            case nil: return "none"
            }
        }
        #expect(code(try failure(["RTSP/1.0 401 Unauthorized\r\nCSeq: {cseq}\r\nWWW-Authenticate: Basic realm=\"c\"\r\n\r\n"])) == "unauthorized")
        #expect(code(try failure(["RTSP/1.0 403 Forbidden\r\nCSeq: {cseq}\r\n\r\n"])) == "forbidden")
        #expect(code(try failure(["RTSP/1.0 454 Session Not Found\r\nCSeq: {cseq}\r\n\r\n"])) == "session_limit")
        #expect(code(try failure(["RTSP/1.0 302 Moved\r\nCSeq: {cseq}\r\nLocation: rtsp://10.0.0.6/live\r\n\r\n"])) == "302 rtsp://10.0.0.6/live")
        #expect(code(try failure([Self.ok(body: "v=0\r\nm=audio 0 RTP/AVP 0\r\n")])) == "no_video")
        #expect(code(try failure([Self.ok(body: Self.sdp), "RTSP/1.0 461 Unsupported Transport\r\nCSeq: {cseq}\r\n\r\n"])) == "461")
        #expect(code(try failure([Self.ok(body: Self.sdp), Self.ok("Session: 1\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n")])) == "unsupported")
        #expect(code(try failure([Self.ok(body: Self.sdp), Self.ok("Transport: RTP/AVP/TCP;interleaved=0-1\r\n")])) == "protocol")
        if case .failed(let answer) = try failure([Self.ok(body: "<html>")]) {
            #expect(answer.message.contains("broken session description"))
        } else {
            Issue.record("a non-SDP description must fail")
        }
        // Answers to SETUP that never come end at the deadline, named by the request.
        if case .failed(let silent) = try failure([Self.ok(body: Self.sdp)]) {
            #expect(silent.qualifiedCode == "timeout.handshake")
            #expect(silent.message.contains("no answer to SETUP"), "\(silent.message)")
        } else {
            Issue.record("a camera that stops answering must time out")
        }
    }

    @Test func playRefused_afterSetup_stillTearsTheSessionDown() throws {
        let (client, camera, pair) = try client(url: "rtsp://10.0.0.5/live", replies: [
            Self.ok(body: Self.sdp),
            Self.ok("Session: 77AB\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n"),
            "RTSP/1.0 500 Internal Server Error\r\nCSeq: {cseq}\r\n\r\n",
        ])
        defer { withExtendedLifetime(pair) {} }
        #expect(throws: RTSPOpenError.self) { _ = try client.start() }
        camera.waitUntilServed()
        Thread.sleep(forTimeInterval: 0.05)
        let after = camera.drain()
        #expect(after.hasPrefix("TEARDOWN rtsp://10.0.0.5/live RTSP/1.0\r\nCSeq: 4\r\nSession: 77AB\r\n"), "\(after)")
    }
}

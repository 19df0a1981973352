// The camera's authentication challenge, as the native client meets it: a 401
// whose `WWW-Authenticate` fields (one or more: the input may hold line breaks,
// folded lines and further fields) go through `RTSPResponse.parseHead`,
// `RTSPChallenge.best` and `RTSPAuthorizer` for the handshake's requests. The
// raw input is also given to `RTSPChallenge(_:)` directly: a header value can
// hold any byte but a line break.
//
// Invariants: the challenge as quoted in a failure message is bounded, has no
// control characters and neither the password nor its Basic form; the
// `Authorization` value stays on one line (no CR or LF, so a
// camera cannot inject header fields or requests); Basic carries exactly
// `user:password`; Digest never carries the password; the encoded request has
// one line per header field.
@testable import CamProbeCore

let user = "admin"
let password = "Pw-7c1f0e9a2b"
let origin = try! StreamURL(parsing: "rtsp://\(user):\(password)@10.0.0.5/live")
let basic = Base64.encode(Array("\(user):\(password)".utf8))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDigestChallenge(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let value = fuzzBytes(data, size)
    _ = RTSPChallenge(String(decoding: value, as: UTF8.self))

    let head = Array("RTSP/1.0 401 Unauthorized\r\nCSeq: 3\r\nWWW-Authenticate: ".utf8) + value + Array("\r\n\r\n".utf8)
    let parsed = head.withUnsafeBytes { try? RTSPResponse.parseHead($0) }
    guard let response = parsed?.response else { return 0 }
    // What RTSPClient says about a challenge it cannot answer.
    let offered = CameraText.sanitized(response.headers("WWW-Authenticate").first ?? "none", secrets: CameraSecrets(origin))
    invariant(offered.unicodeScalars.count <= CameraLimits.cameraTextLength + 1, "camera text of \(offered.unicodeScalars.count) scalars")
    invariant(!offered.unicodeScalars.contains { CameraText.isControl($0) }, "a control character in camera text")
    for secret in [password, basic] { invariant(!containsBytes(offered, secret), "a secret in camera text: \(offered.debugDescription)") }
    guard let challenge = RTSPChallenge.best(of: response.headers("WWW-Authenticate")) else { return 0 }
    var authorizer = RTSPAuthorizer(challenge: challenge, user: user, password: password, cnonce: "0a4f113b")
    for (method, uri) in [("DESCRIBE", "rtsp://10.0.0.5/live"), ("SETUP", "rtsp://10.0.0.5/live/trackID=1"), ("PLAY", "rtsp://10.0.0.5/live")] {
        let authorization = authorizer.authorization(method: method, uri: uri, md5: fakeMD5)
        invariant(!authorization.utf8.contains(13) && !authorization.utf8.contains(10), "line break in Authorization: \(authorization.debugDescription)")
        switch challenge.scheme {
        case .basic:
            invariant(authorization == "Basic " + basic, "Basic answer \(authorization)")
        case .digest:
            invariant(!authorization.contains(password) || response.headers("WWW-Authenticate").contains { $0.contains(password) },
                "the password in a Digest answer")
        }
        let request = RTSPRequest(method: method, uri: uri, headers: [.init("Authorization", authorization)]).encoded(cseq: 4)
        invariant(request.filter { $0 == 10 }.count == 4, "the request has \(request.filter { $0 == 10 }.count) lines, not 4")
    }
    return 0
}

/// Stands in for FFmpeg's MD5 (`RTSPClient.md5Hex`): 32 lower-case hex digits
/// that depend on the input (FNV-1a twice).
func fakeMD5(_ text: String) -> String {
    var a: UInt64 = 0xCBF2_9CE4_8422_2325
    var b: UInt64 = 0x8422_2325_CBF2_9CE4
    for byte in text.utf8 {
        a = (a ^ UInt64(byte)) &* 0x100_0000_01B3
        b = (b ^ UInt64(byte)) &* 0x100_0000_01B3 &+ 1
    }
    let hex = String(a, radix: 16) + String(b, radix: 16)
    return String(repeating: "0", count: max(0, 32 - hex.count)) + hex
}

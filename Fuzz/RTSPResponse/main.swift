// RTSP response heads as the native client reads them: the camera's bytes
// arrive in reads of fuzzer-chosen sizes (first input byte: the split seed, see
// ReadSplitter), and `RTSPResponse.parseHead` looks at everything unread after
// each read, as `RTSPConnection.readMessage` does. Then the fields the client
// acts on are read the way `RTSPClient` reads them.
//
// Invariants: the outcome does not depend on how the bytes were split (the
// same bytes all at once give the same head or the same kind of error); a parsed head
// lies within the bytes that arrived and within `maximumHeadLength`; a body is
// within `maximumBodyLength`; head and body fit the client's receive buffer.
@testable import CamProbeCore

/// `ProbeWorkspace.receiveBuffer`: what `RTSPConnection.need` can ever hold.
let receiveBufferSize = 256 * 1024

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTSPResponse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzBytes(data, size)
    guard let seed = input.first else { return 0 }
    let stream = Array(input.dropFirst())
    var splitter = ReadSplitter(seed: seed)
    var start = 0
    var arrived = 0
    func receive() -> Bool {
        guard arrived < stream.count else { return false }
        arrived += splitter.next(remaining: stream.count - arrived)
        return true
    }

    while start < stream.count {
        if arrived == start, !receive() { return 0 }
        var incremental: Result<(response: RTSPResponse, headLength: Int)?, RTSPMessageError>
        while true {
            incremental = parse(stream, start..<arrived)
            if case .success(nil) = incremental, receive() { continue }
            break
        }
        // The same bytes, all of them at once.
        let whole = parse(stream, start..<stream.count)
        switch (incremental, whole) {
        case (.success(nil), .success(nil)):
            return 0  // the camera closed mid-head
        case (.success(let a?), .success(let b?)):
            invariant(a.headLength == b.headLength && a.response == b.response, "the head parsed differently when split")
        case (.failure(let a), .failure(let b)):
            // The same failure; its text quotes what had arrived, which may be less.
            invariant(kind(a) == kind(b), "split: \(a); whole: \(b)")
            return 0
        default:
            invariant(false, "split: \(incremental); whole: \(whole)")
        }
        guard case .success(let parsed?) = incremental else { return 0 }
        let (response, headLength) = parsed
        invariant(headLength > 0 && headLength <= arrived - start, "head length \(headLength) beyond the \(arrived - start) bytes read")
        invariant(headLength <= RTSPResponse.maximumHeadLength, "a head of \(headLength) bytes passed the \(RTSPResponse.maximumHeadLength)-byte limit")
        guard let length = response.contentLength else {
            invariant(false, "a head with an unreadable Content-Length was accepted")
            return 0
        }
        invariant(length >= 0 && length <= RTSPResponse.maximumBodyLength, "Content-Length \(length) passed the limit")
        invariant(response.headers.count <= CameraLimits.responseHeaderCount, "\(response.headers.count) header fields")
        invariant(headLength + length <= receiveBufferSize, "head \(headLength) + body \(length) exceed the receive buffer")
        useFields(response)
        // The body, as far as it arrives.
        while arrived - start < headLength + length, receive() {}
        guard arrived - start >= headLength + length else { return 0 }
        start += headLength + length
    }
    return 0
}

private func parse(_ stream: [UInt8], _ range: Range<Int>) -> Result<(response: RTSPResponse, headLength: Int)?, RTSPMessageError> {
    stream.withUnsafeBytes { raw in
        Result { () throws(RTSPMessageError) in try RTSPResponse.parseHead(UnsafeRawBufferPointer(rebasing: raw[range])) }
    }
}

/// The error's case, without the camera's text it carries. `httpServer` counts
/// as `notRTSP`: both end the probe as `protocol`, and which one is said depends
/// on whether the first 60 bytes that arrived are printable (a NUL later in the
/// line turns "HTTP/…" into a hex dump).
private func kind(_ error: RTSPMessageError) -> String {
    if case .httpServer = error { return "notRTSP" }
    // A case with a payload reflects as one child labelled with the case's name.
    return Mirror(reflecting: error).children.first?.label ?? "\(error)"
}

let origin = try! StreamURL(parsing: "rtsp://admin:\(password)@10.0.0.5:554/live")
let password = "Pw-5e0b2d71"

/// What `RTSPClient` reads from an answer, and the text it puts in a message.
private func useFields(_ response: RTSPResponse) {
    let reason = CameraText.sanitized(response.reason, secrets: CameraSecrets(origin))
    checkCameraText(reason)
    if (300...399).contains(response.status) {
        // RedirectPolicy: credentials only to the configured host and port.
        switch RedirectPolicy(origin: origin).decide(status: response.status, location: response.header("Location"), from: origin, followed: 0) {
        case .follow(let target):
            if target.hasCredentials {
                invariant(Array(target.host.utf8) == Array(origin.host.utf8) && target.port == origin.port, "credentials follow a redirect to \(target.redacted)")
                invariant(target.credentials?.password == password, "a redirect changed the credentials")
            }
        case .refuse(let failure):
            invariant(!failure.message.contains(password), "the password in a redirect failure")
        }
    }
    _ = response.cseq
    _ = RTSPChallenge.best(of: response.headers("WWW-Authenticate"))
    if let session = response.header("Session") {
        _ = RTSPTransport.sessionID(session)
        let timeout = RTSPTransport.sessionTimeout(session)
        invariant(timeout.isFinite && timeout > 0, "session timeout \(timeout)")
    }
    if let transport = response.header("Transport") { _ = RTSPTransport.interleavedChannels(transport) }
    let base = RTSPControlURL.base(
        contentBase: response.header("Content-Base"), contentLocation: response.header("Content-Location"),
        requestURL: "rtsp://10.0.0.5:554/live")
    _ = RTSPControlURL.resolve("trackID=1", base: base)
}

/// Camera text as it reaches a message: bounded, one line, no controls, no secret.
func checkCameraText(_ text: String) {
    invariant(text.unicodeScalars.count <= CameraLimits.cameraTextLength + 1, "camera text of \(text.unicodeScalars.count) scalars")
    invariant(!text.unicodeScalars.contains { CameraText.isControl($0) }, "a control character in camera text")
    invariant(!containsBytes(text, password), "the password in camera text")
}

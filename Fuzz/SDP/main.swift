// Session descriptions as DESCRIBE's body reaches `RTSPClient.start`: decoded
// as UTF-8 (invalid bytes become U+FFFD), parsed, the video section chosen and
// its control URL resolved, and the text kept for FFmpeg's SDP reader.
//
// Invariants: the text handed to FFmpeg parses again to exactly the session
// lines and the one section kept; a resolved control URL never carries user
// info (credentials are not sent again in a request line).
import CamProbeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSDP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = fuzzBytes(data, size)
    guard let description = try? SessionDescription(parsing: String(decoding: body, as: UTF8.self)) else { return 0 }
    invariant(!description.sessionLines.isEmpty, "no session lines (the v= line is one)")
    _ = description.hasAudio
    for section in description.media {
        let kept = description.text(keeping: section)
        guard let again = try? SessionDescription(parsing: kept) else {
            invariant(false, "the text kept for FFmpeg does not parse")
            return 0
        }
        invariant(again.media.count == 1 && again.media[0] == section, "the kept section changed: \(again.media) vs \(section)")
        invariant(again.sessionLines == description.sessionLines && again.control == description.control, "the session lines changed")
    }
    guard let video = description.video else { return 0 }
    invariant(video.kind == "video" && video.proto.hasPrefix("RTP/"), "video section \(video.kind) \(video.proto)")
    let base = RTSPControlURL.base(contentBase: nil, contentLocation: nil, requestURL: "rtsp://10.0.0.5:554/live")
    for url in [RTSPControlURL.aggregate(sessionControl: description.control, base: base), RTSPControlURL.resolve(video.control, base: base)] {
        invariant(!hasUserInfo(url), "control URL with user info: \(url)")
    }
    return 0
}

/// Whether an absolute URL has `user@` before its host, read as bytes, the way
/// the camera (and FFmpeg) read the request line.
func hasUserInfo(_ url: String) -> Bool {
    let bytes = Array(url.utf8)
    let scheme = Array("://".utf8)
    guard let schemeEnd = (0..<max(0, bytes.count - 2)).first(where: { Array(bytes[$0..<($0 + 3)]) == scheme }) else { return false }
    let authority = bytes[(schemeEnd + 3)...].prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
    return authority.contains(UInt8(ascii: "@"))
}

/// The header fields of SETUP that the session lives on.
public enum RTSPTransport {
    /// What the prober asks for: RTP interleaved in the RTSP connection.
    public static let interleavedRequest = "RTP/AVP/TCP;unicast;interleaved=0-1"

    /// The channels from the answer's `Transport` (`interleaved=2-3`); a single
    /// number means that channel and the next. Nil when the camera answered with
    /// a transport that is not interleaved.
    public static func interleavedChannels(_ header: String) -> (rtp: UInt8, rtcp: UInt8)? {
        for parameter in header.split(separator: ";") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingWhitespaceSubstring().lowercased() == "interleaved" else { continue }
            let numbers = pair[1].split(separator: "-").map { Int($0.trimmingWhitespaceSubstring()) }
            guard let first = numbers.first ?? nil, (0...255).contains(first) else { return nil }
            let second = numbers.count > 1 ? numbers[1] : first + 1
            guard let second, (0...255).contains(second) else { return nil }
            return (UInt8(first), UInt8(second))
        }
        return nil
    }

    /// The session timeout in seconds from `Session: 4A8C2F;timeout=60`; RFC 2326's
    /// default of 60 s when absent or unreadable.
    public static func sessionTimeout(_ header: String) -> Double {
        for parameter in header.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingWhitespaceSubstring().lowercased() == "timeout",
               let seconds = Double(pair[1].trimmingWhitespaceSubstring()), seconds.isFinite, seconds > 0 {
                // A keep-alive goes out at half of it: not more often than every
                // 0.5 s, and at least every 30 min, whatever the camera wrote.
                return min(max(seconds, 1), 3600)
            }
        }
        return 60
    }

    /// The session id from `Session: 4A8C2F;timeout=60`.
    public static func sessionID(_ header: String) -> String {
        String(header.split(separator: ";", maxSplits: 1).first ?? "").trimmingWhitespace()
    }
}

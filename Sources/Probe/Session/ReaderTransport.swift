import CamProbeCore

/// How FFmpeg's reader is asked to carry a stream, in the order tried.
enum ReaderTransport: String {
    /// RTSP with RTP interleaved on the TCP connection.
    case rtspTCP = "tcp"
    /// RTSP with RTP over UDP (after a 461, or when configured).
    case rtspUDP = "udp"
    case http
    case file

    /// The transports to try for `scheme` under the configured choice.
    static func candidates(scheme: StreamURL.Scheme, choice: ProbeOptions.Transport) -> [ReaderTransport] {
        switch (scheme, choice) {
        case (.rtsp, .auto), (.rtsps, .auto): [.rtspTCP, .rtspUDP]
        case (.rtsp, .tcp), (.rtsps, .tcp): [.rtspTCP]
        case (.rtsp, .udp), (.rtsps, .udp): [.rtspUDP]
        case (.http, _), (.https, _): [.http]
        case (.file, _): [.file]
        }
    }

    /// What the probe report says (`"tcp"`, `"udp"`, `"http"`, `"file"`).
    var reportName: String { rawValue }

    /// FFmpeg's options for this transport, with `timeout` µs per blocking call.
    func formatOptions(phaseTimeout: Double) -> [(String, String)] {
        let microseconds = String(Int64(phaseTimeout * 1_000_000))
        var result: [(String, String)] = [("user_agent", "CamProbe/1")]
        switch self {
        case .rtspTCP, .rtspUDP:
            result += [("rtsp_transport", rawValue), ("timeout", microseconds)]
        case .http:
            result += [("timeout", microseconds), ("reconnect", "0"), ("multiple_requests", "0")]
        case .file:
            break
        }
        return result
    }
}

/// Why FFmpeg's reader could not open a stream: the classified failure, and
/// the RTSP status the camera answered when there was one (so a refused
/// transport is told by its code, 461, not by searching a message).
struct OpenRefusal: Error {
    var failure: ProbeFailure
    var rtspStatus: Int?

    /// The camera does not carry RTP the way it was asked (461 Unsupported Transport).
    var refusesTransport: Bool { rtspStatus == 461 }
}

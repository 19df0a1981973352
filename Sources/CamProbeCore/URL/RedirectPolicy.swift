/// Which redirects (RTSP 3xx with `Location`) a probe follows: the rule both
/// RTSP readers apply, the native client and FFmpeg's (whose own following is
/// watched through its interrupt callback).
///
/// Credentials belong to the host and port they were configured for. A
/// redirect to that same host and port is followed with them; a redirect
/// elsewhere is followed only when the URL carries no credentials (there is
/// nothing to give away) and refused with `redirect` when it does: the target,
/// redacted, is in the message, so an operator can configure it directly if it
/// is legitimate. At most `CameraLimits.redirects` are followed, which ends
/// loops.
public struct RedirectPolicy: Sendable {
    /// The configured URL.
    public let origin: StreamURL

    public init(origin: StreamURL) {
        self.origin = origin
    }

    public enum Decision: Sendable, Equatable {
        /// Go on at this URL, which carries the origin's credentials exactly when
        /// it is on the origin's host and port.
        case follow(StreamURL)
        case refuse(ProbeFailure)
    }

    /// `location` as the camera sent it (absolute, or a path on `current`'s
    /// host); `followed` is how many redirects this probe already followed;
    /// `status` is the 3xx code when the reader knows it.
    public func decide(status: Int?, location: String?, from current: StreamURL, followed: Int) -> Decision {
        let code = status.map { " (\($0))" } ?? ""
        guard let location = location?.trimmingWhitespace(), !location.isEmpty else {
            return .refuse(ProbeFailure(.protocolError, phase: .handshake, "camera answered with a redirect\(code) without a Location"))
        }
        let absolute = location.hasPrefix("/") ? current.origin + location : location
        guard let target = try? StreamURL(parsing: absolute), target.scheme == .rtsp || target.scheme == .rtsps else {
            return .refuse(ProbeFailure(
                .protocolError, phase: .handshake,
                "camera redirects\(code) to an address that is not an RTSP URL: \(CameraText.sanitized(Redaction.redactURLs(in: location), secrets: CameraSecrets(origin)))"))
        }
        let shown = CameraText.sanitized(target.redacted, secrets: CameraSecrets(origin))
        guard followed < CameraLimits.redirects else {
            return .refuse(ProbeFailure(
                .redirect, phase: .handshake,
                "camera redirected more than \(CameraLimits.redirects) times (CameraLimits.redirects), the last time\(code) to \(shown)"))
        }
        if isOrigin(target) { return .follow(target.withUserInfo(of: origin)) }
        guard !origin.hasCredentials else {
            return .refuse(ProbeFailure(
                .redirect, phase: .handshake,
                "camera redirects\(code) to \(shown), another host or port: its credentials are not sent there (configure that address directly if it is the camera's)"))
        }
        return .follow(target.withUserInfo(of: nil))
    }

    /// Same scheme family, host (without regard to case) and port as the origin.
    public func isOrigin(_ target: StreamURL) -> Bool {
        target.host.lowercased() == origin.host.lowercased() && target.port == origin.port
    }
}

extension ProbeFailure {
    /// What an RTSP error status means for the probe, in the words every RTSP
    /// reader uses (the native client and FFmpeg's, whose status comes from its
    /// error code or its log). 401, 403 and 404 read the same whatever phrase
    /// the camera sent; `method` names the request when it is known.
    public static func rtspStatus(_ status: Int, reason: String, method: String? = nil, urlHasCredentials: Bool) -> ProbeFailure {
        let text = "\(status) \(reason)"
        switch status {
        case 401:
            return ProbeFailure(.unauthorized, phase: .handshake, "camera refused the credentials (401 Unauthorized)\(urlHasCredentials ? "" : ": the URL has none")")
        case 403:
            return ProbeFailure(.forbidden, phase: .handshake, "camera forbids access to this stream (403 Forbidden)")
        case 404:
            return ProbeFailure(.notFound, phase: .handshake, "no stream at this path (404 Not Found): check the channel in the URL")
        case 453, 454, 503:
            return ProbeFailure(.sessionLimit, phase: .handshake, "camera or recorder refused another session (\(text)): its RTSP session limit is probably reached")
        default:
            return ProbeFailure(.protocolError, phase: .handshake, "camera answered \(method.map { "\($0) " } ?? "")with an error (\(text))")
        }
    }
}

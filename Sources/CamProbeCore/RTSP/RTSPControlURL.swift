/// Resolves the control URLs of a session description (RFC 2326 C.1.1) the way
/// cameras expect in practice, and keeps credentials out of every URL sent.
public enum RTSPControlURL {
    /// The base URL for relative controls: `Content-Base`, else
    /// `Content-Location`, else the URL the description was requested with.
    public static func base(contentBase: String?, contentLocation: String?, requestURL: String) -> String {
        for candidate in [contentBase, contentLocation] {
            if let candidate, isAbsolute(candidate) { return withoutCredentials(candidate) }
        }
        return requestURL
    }

    /// A media section's control against the base: absolute URLs as they are,
    /// `*` and none as the base itself, relative paths appended after a slash.
    public static func resolve(_ control: String?, base: String) -> String {
        guard let control, !control.isEmpty, control != "*" else { return base }
        if isAbsolute(control) { return withoutCredentials(control) }
        if base.hasSuffix("/") || control.hasPrefix("/") { return base + control }
        return base + "/" + control
    }

    /// The aggregate URL PLAY and TEARDOWN go to: the session-level control
    /// when it is an absolute URL, else the base.
    public static func aggregate(sessionControl: String?, base: String) -> String {
        if let sessionControl, isAbsolute(sessionControl) { return withoutCredentials(sessionControl) }
        return base
    }

    static func isAbsolute(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("rtsp://") || lower.hasPrefix("rtsps://") || lower.hasPrefix("rtspu://")
    }

    /// Some firmware echoes the user-info back in `Content-Base`; it is never
    /// sent again.
    static func withoutCredentials(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }
}

import Foundation

/// A camera stream address, split into the parts the prober needs, with a
/// redacted form that is the only one ever printed, logged or stored.
///
/// Credentials hide in two places: the user-info (`rtsp://user:pass@host/…`)
/// and, on budget DVR firmwares, the path or query
/// (`/user=admin&password=x&channel=1&stream=0.sdp`). Both are redacted.
/// `description` is the redacted form, so string interpolation is safe; the
/// full address is only reachable through `unredacted`.
public struct StreamURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, CaseIterable {
        case rtsp, rtsps, http, https, file
    }

    public let scheme: Scheme
    /// Percent-encoded user-info as written (`user:pass`), if any.
    let userInfo: Substring?
    /// Host name or address; IPv6 without brackets. Empty for `file:`.
    public let host: String
    /// Explicit port, if written.
    public let explicitPort: Int?
    /// Path, query and fragment as written (for `file:` the file path).
    let rest: Substring
    private let raw: String

    public init(parsing text: String) throws(ProbeFailure) {
        let trimmed = text.trimmingWhitespace()
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw ProbeFailure(.invalidURL, "not a URL: no scheme (expected rtsp://, rtsps://, http://, https:// or file:)")
        }
        let schemeText = trimmed[..<colon].lowercased()
        guard let scheme = Scheme(rawValue: schemeText) else {
            throw ProbeFailure(.invalidURL, "unsupported scheme '\(schemeText)' (expected rtsp, rtsps, http, https or file)")
        }
        self.scheme = scheme
        self.raw = trimmed
        let afterScheme = trimmed[trimmed.index(after: colon)...]
        if scheme == .file {
            var path = afterScheme
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard path.hasPrefix("/") else {
                throw ProbeFailure(.invalidURL, "file URL needs an absolute path (file:/path/to/file)")
            }
            userInfo = nil
            host = ""
            explicitPort = nil
            rest = path
            return
        }
        guard afterScheme.hasPrefix("//") else {
            throw ProbeFailure(.invalidURL, "\(schemeText) URL needs '//' and a host")
        }
        let authorityAndRest = afterScheme.dropFirst(2)
        let authorityEnd = authorityAndRest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? authorityAndRest.endIndex
        let authority = authorityAndRest[..<authorityEnd]
        rest = authorityAndRest[authorityEnd...]
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        } else {
            userInfo = nil
        }
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw ProbeFailure(.invalidURL, "unterminated IPv6 address in host")
            }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw ProbeFailure(.invalidURL, "unexpected text after IPv6 address")
            }
        } else if let portColon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<portColon])
            portText = hostPort[hostPort.index(after: portColon)...]
        } else {
            host = String(hostPort)
        }
        guard !host.isEmpty else {
            throw ProbeFailure(.invalidURL, "\(schemeText) URL has no host")
        }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw ProbeFailure(.invalidURL, "port '\(portText)' is not a number from 1 to 65535")
            }
            explicitPort = port
        } else {
            explicitPort = nil
        }
    }

    /// The port to connect to: explicit, or the scheme's default.
    public var port: Int {
        if let explicitPort { return explicitPort }
        switch scheme {
        case .rtsp: return 554
        case .rtsps: return 322
        case .http: return 80
        case .https: return 443
        case .file: return 0
        }
    }

    public var hasCredentials: Bool { userInfo != nil || Self.redactPathSecrets(rest) != rest }

    /// `rtsp://***@host:port/path` with path secrets masked too.
    public var redacted: String {
        if scheme == .file { return "file:" + rest }
        var text = scheme.rawValue + "://"
        if userInfo != nil { text += "***@" }
        text += host.contains(":") ? "[\(host)]" : host
        if let explicitPort { text += ":\(explicitPort)" }
        text += Self.redactPathSecrets(rest)
        return text
    }

    public var description: String { redacted }

    /// The full address, credentials included: only for handing to FFmpeg.
    public var unredacted: String { raw }

    /// User and password from the user-info, percent-decoded; only for
    /// answering a camera's authentication challenge.
    public var credentials: (user: String, password: String)? {
        guard let userInfo else { return nil }
        let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let decode = { (part: Substring) in String(part).removingPercentEncoding ?? String(part) }
        return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
    }

    /// The address without its user-info (path secrets kept): the URI of RTSP
    /// requests, which must never carry the credentials.
    public var withoutUserInfo: String {
        var text = scheme.rawValue + "://"
        text += host.contains(":") ? "[\(host)]" : host
        if let explicitPort { text += ":\(explicitPort)" }
        text += rest.isEmpty ? "/" : String(rest)
        return text
    }

    /// The same address with the host replaced (by an address we resolved
    /// ourselves), credentials kept.
    public func replacingHost(with address: String) -> String {
        var text = scheme.rawValue + "://"
        if let userInfo { text += userInfo + "@" }
        text += address.contains(":") ? "[\(address)]" : address
        if let explicitPort { text += ":\(explicitPort)" }
        text += rest
        return text
    }

    /// `scheme://host:port`, without user-info or path: what a path-only
    /// `Location` is relative to.
    public var origin: String {
        scheme.rawValue + "://" + (host.contains(":") ? "[\(host)]" : host) + (explicitPort.map { ":\($0)" } ?? "")
    }

    /// This address with `other`'s user-info in place of its own (none when
    /// `other` is nil or has none): a redirect target never keeps user-info a
    /// camera put into it.
    public func withUserInfo(of other: StreamURL?) -> StreamURL {
        var text = origin
        if let userInfo = other?.userInfo { text = scheme.rawValue + "://" + userInfo + "@" + text.dropFirst(scheme.rawValue.count + 3) }
        text += rest
        // Every part came out of a parsed URL, so it parses again.
        return (try? StreamURL(parsing: text)) ?? self
    }

    /// Keys whose values are secrets when they appear as `key=value` in a path or
    /// query (XMEye: `/user=admin&password=x&channel=1&stream=0.sdp`).
    static let secretKeys: Set<String> = [
        "user", "username", "usr", "login", "password", "pass", "passwd", "pwd", "token",
        "auth", "key", "secret", "signature", "sig", "access_token", "apikey", "api_key",
    ]

    /// The values `redactPathSecrets` masks, for scrubbing them out of text.
    static func pathSecretValues(_ text: Substring) -> [String] {
        guard text.contains("=") else { return [] }
        var values: [String] = []
        for part in text.split(whereSeparator: { "/?&;#".contains($0) }) {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, secretKeys.contains(pair[0].lowercased()), !pair[1].isEmpty {
                values.append(String(pair[1]))
                if let decoded = String(pair[1]).removingPercentEncoding, decoded != String(pair[1]) { values.append(decoded) }
            }
        }
        return values
    }

    static func redactPathSecrets(_ text: Substring) -> String {
        guard text.contains("=") else { return String(text) }
        var out = ""
        out.reserveCapacity(text.count)
        var index = text.startIndex
        var token = ""
        func isSeparator(_ c: Character) -> Bool { c == "/" || c == "?" || c == "&" || c == ";" || c == "#" }
        while index < text.endIndex {
            let c = text[index]
            if c == "=" {
                out += token
                out.append("=")
                let key = token.lowercased()
                token = ""
                index = text.index(after: index)
                let valueStart = index
                while index < text.endIndex, !isSeparator(text[index]) { index = text.index(after: index) }
                out += secretKeys.contains(key) && valueStart < index ? "***" : String(text[valueStart..<index])
                continue
            }
            if isSeparator(c) {
                out += token
                out.append(c)
                token = ""
            } else {
                token.append(c)
            }
            index = text.index(after: index)
        }
        out += token
        return out
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(Substring(self).trimmingWhitespaceSubstring())
    }
}

extension Substring {
    func trimmingWhitespaceSubstring() -> Substring {
        var slice = self
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }
}

/// Masks every URL with credentials inside free text (FFmpeg log lines quote
/// the URL they failed on).
public enum Redaction {
    public static func redactURLs(in text: String) -> String {
        var result = ""
        var remainder = Substring(text)
        let schemes = StreamURL.Scheme.allCases.filter { $0 != .file }.map { $0.rawValue + "://" }
        while let range = schemes.compactMap({ remainder.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            result += remainder[..<range.lowerBound]
            let urlEnd = remainder[range.lowerBound...].firstIndex(where: { $0 == " " || $0 == "'" || $0 == "\"" || $0 == "\n" }) ?? remainder.endIndex
            let candidate = String(remainder[range.lowerBound..<urlEnd])
            result += (try? StreamURL(parsing: candidate).redacted) ?? "***"
            remainder = remainder[urlEnd...]
        }
        result += remainder
        return result
    }
}

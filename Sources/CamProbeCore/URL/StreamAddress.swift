import Foundation

/// A camera's login, from the secrets store (never from the inventory).
///
/// Neither `description`, `debugDescription` nor a `Mirror` (`dump`, test
/// failure output) shows the values: only ``username`` and ``password`` do.
public struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let username: String
    public let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public var description: String { "Credentials(***)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Combines an inventory stream URL with the camera's credentials into the
/// address handed to FFmpeg.
///
/// Inventory URLs never hold credentials. Where a firmware wants them in the
/// path (XMEye: `/user={user}&password={password}&channel=1&stream=0.sdp`) the
/// URL holds the placeholders `{user}` and `{password}`; otherwise the
/// credentials go into the user-info (`rtsp://user:password@host/…`). Either
/// way they are percent-encoded, and the result is a ``StreamURL`` whose
/// `redacted` form (its `description`) masks them.
public enum StreamAddress {
    public static let userPlaceholder = "{user}"
    public static let passwordPlaceholder = "{password}"

    /// Checks a URL as an inventory may write it: a stream URL, without
    /// credentials of its own, with no placeholders but `{user}` and `{password}`.
    /// Returns the parsed URL (placeholders kept).
    ///
    /// The thrown message never quotes the URL's text.
    public static func validateInventoryURL(_ text: String) throws(ProbeFailure) -> StreamURL {
        if let unknown = placeholders(in: text).first(where: { $0 != userPlaceholder && $0 != passwordPlaceholder }) {
            throw ProbeFailure(.invalidURL, "unknown placeholder \(unknown) (a URL may hold {user} and {password})")
        }
        let url: StreamURL
        do {
            url = try StreamURL(parsing: text)
        } catch {
            throw ProbeFailure(.invalidURL, safeMessage(error.message))
        }
        if holdsCredentials(url, text: text) {
            throw ProbeFailure(.invalidURL, "the URL holds credentials (\(url.redacted)): credentials belong in the secrets file")
        }
        return url
    }

    /// Whether an inventory URL holds credentials of its own: user-info other
    /// than `{user}:{password}`, or a `password=value` in the path or query once
    /// the placeholders are taken out.
    public static func holdsCredentials(_ text: String) -> Bool {
        guard let url = try? StreamURL(parsing: text) else { return false }
        return holdsCredentials(url, text: text)
    }

    private static func holdsCredentials(_ url: StreamURL, text: String) -> Bool {
        if let userInfo = url.userInfo, userInfo != userPlaceholder + ":" + passwordPlaceholder { return true }
        // Only `key=value` pairs can hide a secret in the path.
        guard url.rest.utf8.contains(UInt8(ascii: "=")) else { return false }
        guard hasPlaceholders(text) else { return StreamURL.redactPathSecrets(url.rest) != url.rest }
        let bare = text.replacingOccurrences(of: userPlaceholder, with: "").replacingOccurrences(of: passwordPlaceholder, with: "")
        guard let bareURL = try? StreamURL(parsing: bare) else { return false }
        return StreamURL.redactPathSecrets(bareURL.rest) != bareURL.rest
    }

    /// Whether the URL wants the credentials in its path or query.
    public static func hasPlaceholders(_ text: String) -> Bool {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return false }  // the common case, cheaply
        return text.contains(userPlaceholder) || text.contains(passwordPlaceholder)
    }

    /// The address to open: `text` (an inventory URL) with `credentials` put in
    /// its placeholders, or else in its user-info. Without credentials the URL
    /// is returned as it is, unless it has placeholders (then it cannot work).
    public static func resolve(_ text: String, credentials: Credentials?) throws(ProbeFailure) -> StreamURL {
        let url = try validateInventoryURL(text)
        guard let credentials else {
            if hasPlaceholders(text) {
                throw ProbeFailure(.invalidURL, "the URL has {user}/{password} placeholders but the camera has no credentials")
            }
            return url
        }
        if hasPlaceholders(text) {
            let filled = text
                .replacingOccurrences(of: userPlaceholder, with: percentEncoded(credentials.username))
                .replacingOccurrences(of: passwordPlaceholder, with: percentEncoded(credentials.password))
            return try StreamURL(parsing: filled)
        }
        if url.scheme == .file { return url }
        let userInfo = percentEncoded(credentials.username) + ":" + percentEncoded(credentials.password)
        return try StreamURL(parsing: url.replacingUserInfo(with: userInfo))
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters,
    /// so a `:`, `@`, `/`, `&` or `=` in a password cannot change the URL's shape.
    public static func percentEncoded(_ text: String) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// `{name}` tokens in the text, in order.
    static func placeholders(in text: String) -> [String] {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return [] }
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            found.append(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    /// `StreamURL`'s messages may quote a piece of the text they failed on (a
    /// "port" that was really `user:password`): drop quoted pieces.
    static func safeMessage(_ message: String) -> String {
        var out = ""
        var quoted = false
        for character in message {
            if character == "'" {
                quoted.toggle()
                continue
            }
            if !quoted { out.append(character) }
        }
        return out.replacingOccurrences(of: "  ", with: " ")
    }
}

extension StreamURL {
    /// The same address with `userInfo` (already percent-encoded) as its user-info.
    func replacingUserInfo(with userInfo: String) -> String {
        var text = scheme.rawValue + "://" + userInfo + "@"
        text += host.contains(":") ? "[\(host)]" : host
        if let explicitPort { text += ":\(explicitPort)" }
        text += rest
        return text
    }
}

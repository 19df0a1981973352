import Foundation

/// The secrets a camera's URL carries, in every form they can come back in:
/// a camera that echoes what it was sent (a reason phrase quoting the
/// `Authorization` field, a challenge repeating the user-info) must not put the
/// password into logs, the status API, events or webhooks.
///
/// `description` never shows them; `scrub` replaces each by `***`.
public struct CameraSecrets: Sendable, CustomStringConvertible {
    /// Longest first, so `user:pass` is masked whole before `pass` alone.
    let values: [String]

    public init(_ url: StreamURL) {
        var found: [String] = []
        if let userInfo = url.userInfo, let credentials = url.credentials {
            let pair = "\(credentials.user):\(credentials.password)"
            found += [credentials.password, pair, String(userInfo)]
            // The Basic form, with and without its padding.
            let basic = Base64.encode(Array(pair.utf8))
            found += [basic, String(basic.prefix { $0 != "=" })]
            // As written in the URL, and fully percent-encoded.
            if let colon = userInfo.firstIndex(of: ":") { found.append(String(userInfo[userInfo.index(after: colon)...])) }
            if let encoded = credentials.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { found.append(encoded) }
        }
        found += StreamURL.pathSecretValues(url.rest)
        values = Array(Set(found.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    public var isEmpty: Bool { values.isEmpty }

    /// `text` with every secret of at least `minimumLength` characters replaced
    /// by `***`. Camera-supplied text is scrubbed of all of them; a whole message
    /// (the prober's own words around it) only of those long enough not to be a
    /// coincidence: a password "1" must not turn "401" into "4***0***".
    ///
    /// Matched twice: as Characters (a canonically equivalent spelling, `é` for
    /// `e` + U+0301, is the same text to a reader) and as Unicode scalars (a
    /// combining mark or a joiner right after the secret makes its last letter
    /// part of another Character, which the first match misses while a log still
    /// shows every byte of it).
    public func scrub(_ text: String, minimumLength: Int = 1) -> String {
        var result = text
        for secret in values where secret.count >= minimumLength {
            if result.contains(secret) { result = result.replacing(secret, with: "***") }
            let scalars = result.unicodeScalars
            if scalars.contains(secret.unicodeScalars) {
                result = String(scalars.replacing(secret.unicodeScalars, with: "***".unicodeScalars))
            }
        }
        return result
    }

    public var description: String { "CameraSecrets(\(values.count) redacted)" }
}

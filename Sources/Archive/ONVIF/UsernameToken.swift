import Crypto
import Foundation

/// The WS-Security UsernameToken with a password digest (OASIS WSS UsernameToken
/// Profile 1.0, 3.1; ONVIF Core 5.12.2): `Base64(SHA-1(nonce + created + password))`.
/// The password itself is never sent.
struct UsernameToken: Sendable {
    let username: String
    let password: String

    /// The `<wsse:Security>` header for a request made at `created` (the recorder's
    /// clock, so a recorder whose clock is off still accepts the token), with
    /// `nonce` (16 random bytes unless given).
    func header(created: Date, nonce: [UInt8] = Self.randomNonce()) -> String {
        let createdText = Self.timestamp(created)
        let digest = Self.digest(nonce: nonce, created: createdText, password: password)
        return """
            <wsse:Security s:mustUnderstand="1" \
            xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" \
            xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">\
            <wsse:UsernameToken><wsse:Username>\(SOAPText.escape(username))</wsse:Username>\
            <wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">\(digest)</wsse:Password>\
            <wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">\(Data(nonce).base64EncodedString())</wsse:Nonce>\
            <wsu:Created>\(createdText)</wsu:Created></wsse:UsernameToken></wsse:Security>
            """
    }

    static func digest(nonce: [UInt8], created: String, password: String) -> String {
        let hash = Insecure.SHA1.hash(data: nonce + Array(created.utf8) + Array(password.utf8))
        return Data(hash).base64EncodedString()
    }

    static func randomNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// `2024-01-05T01:30:00Z` (xs:dateTime, UTC, whole seconds).
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// Text placed into a SOAP body.
enum SOAPText {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// An xs:dateTime as devices write it: `2024-01-05T01:30:00Z`, with fractions
    /// (`.123`) or an offset (`+05:00`); nil when it is none.
    static func date(_ text: String?) -> Date? {
        guard let text, text.count <= 64 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

internal import Crypto
import Foundation

/// Signs webhook bodies so a receiver can tell CamProbe's requests from forged
/// or replayed ones. The header is
///
///     X-CamProbe-Signature: t=<unix seconds>,v1=<lowercase hex HMAC-SHA256>
///
/// where the HMAC key is the shared secret and the message is the ASCII
/// timestamp, a `.`, then the raw body bytes. The timestamp is inside the MAC,
/// so a receiver that checks it against its clock also refuses replays.
/// docs/webhooks-signature.md has the receiver's recipe.
public struct WebhookSigner: Sendable {
    public static let headerName = "X-CamProbe-Signature"
    /// How far a receiver should let `t` drift from its clock by default.
    public static let defaultTolerance: TimeInterval = 300

    // The bytes, not a SymmetricKey: swift-crypto's key type is not Sendable.
    private let secret: [UInt8]

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    public init(secret: String) {
        self.init(secret: Array(secret.utf8))
    }

    /// The header value for `body` signed at `timestamp` (unix seconds).
    public func signature(body: [UInt8], timestamp: Int) -> String {
        "t=\(timestamp),v1=\(Self.hex(Self.mac(body: body, timestamp: timestamp, key: SymmetricKey(data: secret))))"
    }

    /// `request` with the signature header added (replacing any earlier one).
    public func signed(_ request: WebhookRequest, at date: Date) -> WebhookRequest {
        var request = request
        request.headers.removeAll { $0.name.lowercased() == Self.headerName.lowercased() }
        request.headers.append((Self.headerName, signature(body: request.body, timestamp: Int(date.timeIntervalSince1970))))
        return request
    }

    /// True when `header` is a well-formed signature of `body` with `secret` whose
    /// timestamp lies within `tolerance` of `now`. Compares in constant time.
    public static func verify(
        header: String,
        body: [UInt8],
        secret: [UInt8],
        now: Date,
        tolerance: TimeInterval = defaultTolerance
    ) -> Bool {
        var timestamp: Int?
        var signatures: [[UInt8]] = []
        for field in header.split(separator: ",") {
            let parts = field.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return false }
            switch parts[0] {
            case "t": timestamp = Int(parts[1])
            // Several v1 entries are allowed so a sender can sign with an old and
            // a new secret while rotating.
            case "v1": if let bytes = bytes(fromHex: parts[1]) { signatures.append(bytes) }
            default: continue  // future schemes
            }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { return false }
        let key = SymmetricKey(data: secret)
        let message = Array("\(timestamp).".utf8) + body
        return signatures.contains { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: message, using: key) }
    }

    public static func verify(header: String, body: [UInt8], secret: String, now: Date, tolerance: TimeInterval = defaultTolerance) -> Bool {
        verify(header: header, body: body, secret: Array(secret.utf8), now: now, tolerance: tolerance)
    }

    private static func mac(body: [UInt8], timestamp: Int, key: SymmetricKey) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array("\(timestamp).".utf8))
        hmac.update(data: body)
        return Array(hmac.finalize())
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func bytes(fromHex hex: Substring) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

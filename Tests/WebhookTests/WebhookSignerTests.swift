import Foundation
import Testing
import Webhook
import WebhookTestSupport

struct WebhookSignerTests {
    private let body = Array(#"{"event":"camera.down","camera":"semey12-cam01"}"#.utf8)
    private let at = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func signature_matchesOpenSSLRecipe() throws {
        let header = WebhookSigner(secret: "s3cret").signature(body: body, timestamp: 1_795_000_000)
        // printf '%s' "1795000000.$body" | openssl dgst -sha256 -hmac s3cret (docs/webhooks-signature.md)
        let message = Array("1795000000.".utf8) + body
        let openssl = try OpenSSLHMAC.hex(message: message, key: "s3cret")
        #expect(header == "t=1795000000,v1=\(openssl)")
    }

    @Test func verify_ownSignature_isTrue() {
        let header = WebhookSigner(secret: "s3cret").signature(body: body, timestamp: Int(at.timeIntervalSince1970))
        #expect(WebhookSigner.verify(header: header, body: body, secret: "s3cret", now: at.addingTimeInterval(299)))
    }

    @Test func verify_tamperedBodyWrongSecretOrStaleTimestamp_isFalse() {
        let header = WebhookSigner(secret: "s3cret").signature(body: body, timestamp: Int(at.timeIntervalSince1970))
        #expect(!WebhookSigner.verify(header: header, body: body + [0x20], secret: "s3cret", now: at))
        #expect(!WebhookSigner.verify(header: header, body: body, secret: "s3cret!", now: at))
        #expect(!WebhookSigner.verify(header: header, body: body, secret: "s3cret", now: at.addingTimeInterval(301)))
        #expect(!WebhookSigner.verify(header: header, body: body, secret: "s3cret", now: at.addingTimeInterval(-301)))
        #expect(!WebhookSigner.verify(header: "garbage", body: body, secret: "s3cret", now: at))
        #expect(!WebhookSigner.verify(header: "t=1795000000", body: body, secret: "s3cret", now: at))
    }

    @Test func verify_withOldAndNewSecretDuringRotation_acceptsEither() {
        let old = WebhookSigner(secret: "old").signature(body: body, timestamp: 1_795_000_000)
        let new = WebhookSigner(secret: "new").signature(body: body, timestamp: 1_795_000_000)
        let both = old + "," + new.replacingOccurrences(of: "t=1795000000,", with: "")
        #expect(WebhookSigner.verify(header: both, body: body, secret: "new", now: at))
        #expect(WebhookSigner.verify(header: both, body: body, secret: "old", now: at))
    }

    @Test func signed_replacesAnEarlierSignatureHeader() {
        let signer = WebhookSigner(secret: "s3cret")
        let request = WebhookRequest(id: "a", url: "https://example.org/hook", headers: [("X-CamProbe-Signature", "t=1,v1=00")], body: body)
        let signed = signer.signed(signer.signed(request, at: at), at: at)
        #expect(signed.headers.filter { $0.name == WebhookSigner.headerName }.count == 1)
    }
}

/// `openssl dgst -sha256 -hmac KEY` on a message, as the docs tell receivers.
enum OpenSSLHMAC {
    static func hex(message: [UInt8], key: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-hmac-\(UUID().uuidString)")
        try Data(message).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let openssl = try Command.run("/usr/bin/openssl", ["dgst", "-sha256", "-hmac", key, "-r", file.path])
        guard openssl.status == 0 else { throw ReceiverError("openssl dgst failed: \(openssl.stderr)") }
        return String(String(decoding: openssl.stdout, as: UTF8.self).prefix { $0 != " " })
    }
}

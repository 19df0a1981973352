import CamProbeCore
import Foundation
import Testing

/// Camera-supplied text on its way into a message: capped, control characters
/// gone, every known form of the URL's secrets masked.
@Suite struct CameraTextTests {
    let url = try! StreamURL(parsing: "rtsp://admin:p%40ss!word@10.0.0.5/live?password=Qx9")

    @Test func everyFormOfTheSecret_isMasked() {
        let secrets = CameraSecrets(url)
        let basic = Data("admin:p@ss!word".utf8).base64EncodedString()
        let echoed = "Basic \(basic) admin:p@ss!word p%40ss!word p%40ss%21word p@ss!word Qx9 \(basic.replacingOccurrences(of: "=", with: ""))"
        let scrubbed = CameraText.sanitized(echoed, secrets: secrets)
        #expect(!scrubbed.contains("p@ss") && !scrubbed.contains("p%40ss") && !scrubbed.contains(basic.prefix(12)) && !scrubbed.contains("Qx9"), "\(scrubbed)")
        #expect(scrubbed.hasPrefix("Basic ***"))
        #expect(!secrets.description.contains("p@ss") && !secrets.description.contains("Qx9"))
    }

    @Test func controlCharactersAndLength_areCut() {
        let text = "\u{1B}[31mred\u{1B}[0m\u{07}\r\nInjected: x\u{202E}" + String(repeating: "Z", count: 5000)
        let clean = CameraText.sanitized(text)
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x202E })
        #expect(clean.count <= CameraLimits.cameraTextLength + 1)
        #expect(clean.hasSuffix("…"))
    }

    @Test func wholeMessageScrub_spareShortSecretsInTheProbersOwnWords() {
        let short = try! StreamURL(parsing: "rtsp://admin:40@10.0.0.5/")
        let secrets = CameraSecrets(short)
        #expect(secrets.scrub("camera refused the credentials (401 Unauthorized)", minimumLength: 4) == "camera refused the credentials (401 Unauthorized)")
        #expect(CameraText.sanitized("echo 40", secrets: secrets) == "echo ***")
    }

    /// Found by Fuzz/DigestChallenge: a combining mark (or a zero-width joiner,
    /// replaced by a space only after scrubbing) right after the password glued
    /// its last letter into another Character, and the whole password survived.
    @Test func aSecretFollowedByACombiningMarkOrAJoiner_isMaskedToo() {
        let secrets = CameraSecrets(url)
        for glue in ["\u{7ED}", "\u{301}", "\u{200D}", "\u{FE0F}"] {
            let clean = Array(CameraText.sanitized("nonce=\"p@ss!word\(glue)x\"", secrets: secrets).utf8)
            let secret = Array("p@ss!word".utf8)
            #expect(!clean.indices.contains { clean[$0...].starts(with: secret) }, "\(String(decoding: clean, as: UTF8.self).debugDescription)")
        }
    }
}

@testable import Probe
import CamProbeCore
import Testing

@Suite struct FailureClassificationTests {
    @Test func rtspStatus_parsesFFmpegsLogLine() throws {
        let status = try #require(StreamProbe.rtspStatus(in: ["[rtsp @ 0x55] method DESCRIBE failed: 454 Session Not Found"]))
        #expect(status.code == 454)
        #expect(status.reason == "Session Not Found")
    }

    @Test func rtspStatus_ignoresOtherLines() {
        #expect(StreamProbe.rtspStatus(in: ["Connection refused", "failed: abc"]) == nil)
    }
}

@Suite struct DigestAuthorizationTests {
    /// RFC 2617 section 3.5's worked example, answered with FFmpeg's MD5.
    @Test func digest_matchesTheRFC2617Example() throws {
        let challenge = try #require(RTSPChallenge(
            "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""))
        var authorizer = RTSPAuthorizer(challenge: challenge, user: "Mufasa", password: "Circle Of Life", cnonce: "0a4f113b")
        let value = authorizer.authorization(method: "GET", uri: "/dir/index.html", md5: RTSPClient.md5Hex)
        #expect(value.hasPrefix("Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\""))
        #expect(value.contains("response=\"6629fae49393a05397450978507c4ef1\""))
        #expect(value.contains("qop=auth, nc=00000001, cnonce=\"0a4f113b\""))
        #expect(value.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""))
        // The counter moves on with every request.
        #expect(authorizer.authorization(method: "GET", uri: "/dir/index.html", md5: RTSPClient.md5Hex).contains("nc=00000002"))
    }

    @Test func digest_withoutQop_hashesNonceAndRequest() throws {
        let challenge = try #require(RTSPChallenge("Digest realm=\"r\", nonce=\"n\""))
        var authorizer = RTSPAuthorizer(challenge: challenge, user: "u", password: "p", cnonce: "c")
        let ha1 = RTSPClient.md5Hex("u:r:p")
        let ha2 = RTSPClient.md5Hex("DESCRIBE:rtsp://10.0.0.5/live")
        let value = authorizer.authorization(method: "DESCRIBE", uri: "rtsp://10.0.0.5/live", md5: RTSPClient.md5Hex)
        #expect(value.contains("response=\"\(RTSPClient.md5Hex("\(ha1):n:\(ha2)"))\""))
        #expect(!value.contains("nc="))
        #expect(RTSPClient.md5Hex("") == "d41d8cd98f00b204e9800998ecf8427e")
    }
}

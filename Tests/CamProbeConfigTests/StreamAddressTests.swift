import CamProbeCore
import Testing

@Suite struct StreamAddressTests {
    let credentials = Credentials(username: "ад мін", password: "p@ss:w/rd&x=1")

    @Test func resolve_userInfo_percentEncoded() throws {
        let url = try StreamAddress.resolve("rtsp://10.0.0.5:8554/Streaming/Channels/101", credentials: credentials)
        #expect(url.unredacted == "rtsp://%D0%B0%D0%B4%20%D0%BC%D1%96%D0%BD:p%40ss%3Aw%2Frd%26x%3D1@10.0.0.5:8554/Streaming/Channels/101")
        #expect(url.redacted == "rtsp://***@10.0.0.5:8554/Streaming/Channels/101")
        #expect(url.host == "10.0.0.5")
        #expect(url.port == 8554)
    }

    @Test func resolve_xmeyePlaceholders_filledAndRedacted() throws {
        let url = try StreamAddress.resolve(
            "rtsp://192.168.1.10:554/user={user}&password={password}&channel=3&stream=0.sdp",
            credentials: Credentials(username: "admin", password: "Secr3t"))
        #expect(url.unredacted == "rtsp://192.168.1.10:554/user=admin&password=Secr3t&channel=3&stream=0.sdp")
        #expect(url.redacted == "rtsp://192.168.1.10:554/user=***&password=***&channel=3&stream=0.sdp")
        #expect(!"\(url)".contains("Secr3t"))
    }

    @Test func resolve_withoutCredentials_keepsURL() throws {
        #expect(try StreamAddress.resolve("http://10.0.0.7/mjpg/video.mjpg", credentials: nil).unredacted == "http://10.0.0.7/mjpg/video.mjpg")
        #expect(try StreamAddress.resolve("file:/srv/a.mp4", credentials: credentials).unredacted == "file:/srv/a.mp4")
    }

    @Test func resolve_placeholdersWithoutCredentials_fails() {
        #expect(throws: ProbeFailure(.invalidURL, "the URL has {user}/{password} placeholders but the camera has no credentials")) {
            try StreamAddress.resolve("rtsp://h/user={user}&password={password}&channel=1", credentials: nil)
        }
    }

    @Test func validateInventoryURL_refusesCredentials_withoutPrintingThem() {
        for text in [
            "rtsp://admin:Secr3t@10.0.0.5/Streaming/Channels/101",
            "rtsp://10.0.0.5/user=admin&password=Secr3t&channel=1&stream=0.sdp",
        ] {
            #expect(StreamAddress.holdsCredentials(text))
            do {
                _ = try StreamAddress.validateInventoryURL(text)
                Issue.record("accepted a URL with credentials")
            } catch {
                #expect(error.message.hasSuffix("credentials belong in the secrets file"))
                #expect(!error.message.contains("Secr3t"))
            }
        }
        #expect(!StreamAddress.holdsCredentials("rtsp://{user}:{password}@10.0.0.5/live"))
        #expect(!StreamAddress.holdsCredentials("rtsp://10.0.0.5/cam/realmonitor?channel=1&subtype=0"))
    }

    @Test func validateInventoryURL_badPort_doesNotQuoteIt() {
        #expect(throws: ProbeFailure(.invalidURL, "port is not a number from 1 to 65535")) {
            try StreamAddress.validateInventoryURL("rtsp://admin:Secr3t/Streaming/Channels/101")
        }
    }

    @Test func credentials_neverDescribed() {
        let text = "\(credentials) \(String(reflecting: credentials)) \(Mirror(reflecting: credentials).children.count)"
        #expect(text == "Credentials(***) Credentials(***) 0")
    }
}

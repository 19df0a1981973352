import CamProbeCore
import Testing

@Suite struct StreamURLTests {
    @Test func parse_rtspWithCredentials_redactsUserInfo() throws {
        let url = try StreamURL(parsing: "rtsp://admin:p%40ss@10.1.2.3:8554/Streaming/Channels/101")
        #expect(url.scheme == .rtsp)
        #expect(url.host == "10.1.2.3")
        #expect(url.port == 8554)
        #expect(url.redacted == "rtsp://***@10.1.2.3:8554/Streaming/Channels/101")
        #expect("\(url)" == url.redacted)
        #expect(url.unredacted == "rtsp://admin:p%40ss@10.1.2.3:8554/Streaming/Channels/101")
        #expect(url.hasCredentials)
    }

    @Test func parse_defaultPorts() throws {
        #expect(try StreamURL(parsing: "rtsp://cam/x").port == 554)
        #expect(try StreamURL(parsing: "rtsps://cam/x").port == 322)
        #expect(try StreamURL(parsing: "http://cam/x").port == 80)
        #expect(try StreamURL(parsing: "https://cam/x").port == 443)
    }

    @Test func parse_xmeyeCredentialsInPath_areRedacted() throws {
        let url = try StreamURL(parsing: "rtsp://192.168.1.10:554/user=admin&password=Secr3t&channel=3&stream=0.sdp")
        #expect(url.redacted == "rtsp://192.168.1.10:554/user=***&password=***&channel=3&stream=0.sdp")
        #expect(url.hasCredentials)
    }

    @Test func parse_dahuaQuery_keepsChannelAndSubtype() throws {
        let url = try StreamURL(parsing: "rtsp://u:p@cam.school.kz/cam/realmonitor?channel=2&subtype=0")
        #expect(url.redacted == "rtsp://***@cam.school.kz/cam/realmonitor?channel=2&subtype=0")
    }

    @Test func parse_ipv6Host() throws {
        let url = try StreamURL(parsing: "rtsp://[2001:db8::5]:554/live")
        #expect(url.host == "2001:db8::5")
        #expect(url.redacted == "rtsp://[2001:db8::5]:554/live")
        #expect(url.replacingHost(with: "2001:db8::6") == "rtsp://[2001:db8::6]:554/live")
    }

    @Test func replacingHost_keepsCredentialsForFFmpegOnly() throws {
        let url = try StreamURL(parsing: "rtsp://a:b@camera.local:554/s")
        #expect(url.replacingHost(with: "10.0.0.7") == "rtsp://a:b@10.0.0.7:554/s")
    }

    @Test func parse_fileURL() throws {
        let url = try StreamURL(parsing: "file:///var/lib/sample.mp4")
        #expect(url.scheme == .file)
        #expect(url.redacted == "file:/var/lib/sample.mp4")
    }

    @Test(arguments: [
        ("camera.local/stream", "invalid_url"),
        ("ftp://host/x", "invalid_url"),
        ("rtsp:/host/x", "invalid_url"),
        ("rtsp://:554/x", "invalid_url"),
        ("rtsp://host:0/x", "invalid_url"),
        ("rtsp://host:99999/x", "invalid_url"),
        ("rtsp://[::1/x", "invalid_url"),
        ("file:relative.mp4", "invalid_url"),
    ])
    func parse_malformed_throwsInvalidURL(text: String, code: String) {
        #expect(throws: ProbeFailure.self) { try StreamURL(parsing: text) }
        do {
            _ = try StreamURL(parsing: text)
        } catch {
            #expect(error.code.rawValue == code)
            // The message never repeats the URL (it may hold credentials).
            #expect(!error.message.contains(text))
        }
    }

    @Test func redactURLs_inFreeText() {
        let line = "Could not open 'rtsp://admin:hunter2@10.0.0.1/Streaming/Channels/101' (401)"
        let redacted = Redaction.redactURLs(in: line)
        #expect(redacted == "Could not open 'rtsp://***@10.0.0.1/Streaming/Channels/101' (401)")
        #expect(!redacted.contains("hunter2"))
    }
}

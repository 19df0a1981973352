import CamProbeCore
import Testing

/// The limits hold on the whole message however it arrived, and beyond them
/// parsing ends with an error that names the limit.
@Suite struct CameraLimitsTests {
    func parse(_ text: String) throws(RTSPMessageError) -> (response: RTSPResponse, headLength: Int)? {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBytes { raw in Result { () throws(RTSPMessageError) in try RTSPResponse.parseHead(raw) } }
        return try result.get()
    }

    @Test func head_completeButLongerThanTheLimit_isRefused() {
        let head = "RTSP/1.0 200 OK\r\nCSeq: 1\r\nX-Pad: " + String(repeating: "A", count: 200_000) + "\r\n\r\n"
        #expect(throws: RTSPMessageError.headTooLong) { try parse(head) }
    }

    @Test func head_justUnderTheLimit_parses() throws {
        let pad = String(repeating: "A", count: CameraLimits.responseHeadBytes - 40)
        #expect(try parse("RTSP/1.0 200 OK\r\nX: \(pad)\r\n\r\n")?.response.status == 200)
    }

    @Test func headerCount_beyondTheLimit_isRefused() {
        let fields = (0...CameraLimits.responseHeaderCount).map { "X-\($0): v\r\n" }.joined()
        #expect(throws: RTSPMessageError.tooManyHeaders) { try parse("RTSP/1.0 200 OK\r\n\(fields)\r\n") }
    }

    @Test(arguments: ["-5", "12abc", "99999999999999999999999999", "", "0x10"])
    func contentLength_thatIsNotAPlainNumber_isRefused(_ value: String) {
        #expect(throws: RTSPMessageError.malformedHeader("Content-Length: \(value)")) {
            try parse("RTSP/1.0 200 OK\r\nContent-Length: \(value)\r\n\r\n")
        }
    }

    @Test func statusCode_mustBeThreeDigits() {
        #expect(throws: RTSPMessageError.malformedStatusLine("RTSP/1.0 +12 OK")) { try parse("RTSP/1.0 +12 OK\r\n\r\n") }
    }

    @Test func sessionDescription_tooLargeOrTooManyMedia_isRefused() {
        let large = "v=0\r\na=x:" + String(repeating: "P", count: CameraLimits.sessionDescriptionBytes) + "\r\n"
        #expect(throws: SessionDescriptionError.tooLong(large.utf8.count)) { try SessionDescription(parsing: large) }
        let many = "v=0\r\n" + String(repeating: "m=audio 0 RTP/AVP 0\r\n", count: CameraLimits.sessionDescriptionMedia + 1)
        #expect(throws: SessionDescriptionError.tooManyMedia) { try SessionDescription(parsing: many) }
    }

    @Test func sessionTimeout_isClampedToSaneKeepAlives() {
        #expect(RTSPTransport.sessionTimeout("1;timeout=0.001") == 1)
        #expect(RTSPTransport.sessionTimeout("1;timeout=inf") == 60)
        #expect(RTSPTransport.sessionTimeout("1;timeout=100000000") == 3600)
    }

    @Test func plausibility() {
        #expect(CameraLimits.isPlausible(width: 1920, height: 1080))
        #expect(CameraLimits.isPlausible(width: 7680, height: 4320))
        #expect(!CameraLimits.isPlausible(width: 65536, height: 65536))
        #expect(!CameraLimits.isPlausible(width: 16000, height: 16000))
        #expect(!CameraLimits.isPlausible(width: 0, height: 240))
        #expect(!CameraLimits.isPlausible(width: 8192, height: 8192))  // beyond max_pixels
        #expect(CameraLimits.isPlausible(frameRate: 25))
        #expect(!CameraLimits.isPlausible(frameRate: 76_790))
        #expect(!CameraLimits.isPlausible(frameRate: .nan))
    }

    @Test func absurdValues_areDroppedFromTheReportAndNamedInTheFailure() throws {
        var report = ProbeReport(target: "rtsp://h/", startedAt: .init(timeIntervalSince1970: 0))
        report.video = VideoMeasurement(codec: "h264", width: 65536, height: 65536, resolutionSource: .sps, declaredFrameRate: 25)
        #expect(throws: ProbeFailure.self) { try PlausibleVideo.check(&report) }
        #expect(report.video?.width == nil && report.video?.height == nil)
        do {
            try PlausibleVideo.check(&report)
        } catch {
            Issue.record("the absurd size is gone, nothing else is absurd: \(error)")
        }
        report.video?.declaredFrameRate = 76_790
        do {
            try PlausibleVideo.check(&report)
            Issue.record("76,790 fps must fail")
        } catch {
            #expect(error.code == .protocolError)
            #expect(error.message.contains("76790 fps"))
        }
        #expect(report.video?.declaredFrameRate == nil)
    }
}

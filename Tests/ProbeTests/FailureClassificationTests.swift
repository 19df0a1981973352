@testable import Probe
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

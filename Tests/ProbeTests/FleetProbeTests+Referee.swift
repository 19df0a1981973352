import CamProbeCore
import Foundation
import Probe
import Testing

/// `ffprobe` as an independent referee: it must agree with our in-process
/// reading of codec and resolution. (The product itself never runs ffprobe.)
extension FleetProbeTests {
    struct Streams: Decodable {
        struct Stream: Decodable {
            let codec_type: String
            let codec_name: String
            let width: Int?
            let height: Int?
        }
        let streams: [Stream]
    }

    func referee(_ url: String) throws -> Streams.Stream {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        process.arguments = ["-v", "error", "-rtsp_transport", "tcp", "-show_streams", "-of", "json", url]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let streams = try JSONDecoder().decode(Streams.self, from: data)
        return try #require(streams.streams.first { $0.codec_type == "video" })
    }

    @Test(arguments: ["h264_1080p25", "h265_1080p25", "h264_d1", "h264_720p12_5"])
    func probe_agreesWithFFprobe(camera: String) async throws {
        let fleet = try await TestFleet.shared()
        let url = try fleet.url(camera)
        let expected = try referee(url)
        let report = await FleetProbeTests.prober.probe(try StreamURL(parsing: url))
        let video = try #require(report.video)
        #expect(video.codec == expected.codec_name)
        #expect(video.width == expected.width)
        #expect(video.height == expected.height)
    }
}

import CamProbeCore
import Foundation
import Probe
import Testing

/// Snapshots from real probes of the GStreamer fleet, decoded back by ffmpeg
/// (an independent JPEG decoder) as the referee of their size and colours.
@Suite(.serialized)
struct SnapshotProbeTests {
    struct Decoded {
        let codec: String
        let pixelFormat: String
        let width: Int
        let height: Int
        /// RGB24 pixels as ffmpeg decodes the file.
        let rgb: [UInt8]

        /// Mean of one channel (0 red, 1 green, 2 blue).
        func mean(_ channel: Int) -> Double {
            var sum = 0
            for index in stride(from: channel, to: rgb.count, by: 3) { sum += Int(rgb[index]) }
            return Double(sum) / Double(rgb.count / 3)
        }

        /// Share of pixels whose channels differ by more than 100 (saturated colour).
        var colourfulShare: Double {
            var colourful = 0
            for index in stride(from: 0, to: rgb.count - 2, by: 3) {
                let channels = rgb[index..<index + 3]
                if Int(channels.max()!) - Int(channels.min()!) > 100 { colourful += 1 }
            }
            return Double(colourful) / Double(rgb.count / 3)
        }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FleetError("\(tool) \(arguments) exited \(process.terminationStatus)") }
        return data
    }

    /// ffprobe names the stream, ffmpeg decodes it to RGB.
    static func referee(_ jpeg: [UInt8]) throws -> Decoded {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-snapshot-\(UUID().uuidString).jpg")
        try Data(jpeg).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        struct Streams: Decodable {
            struct Stream: Decodable { let codec_name: String; let pix_fmt: String; let width: Int; let height: Int }
            let streams: [Stream]
        }
        let json = try run("/usr/bin/ffprobe", ["-v", "error", "-show_streams", "-of", "json", file.path])
        let stream = try #require(try JSONDecoder().decode(Streams.self, from: json).streams.first)
        let rgb = try run("/usr/bin/ffmpeg", ["-v", "error", "-i", file.path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        return Decoded(codec: stream.codec_name, pixelFormat: stream.pix_fmt, width: stream.width, height: stream.height, rgb: Array(rgb))
    }

    func snapshot(of camera: String, snapshot: Bool = true) async throws -> ProbeReport {
        let fleet = try await TestFleet.shared()
        var options = ProbeOptions.default
        options.snapshot = snapshot
        return await FleetProbeTests.prober.probe(try StreamURL(parsing: try fleet.url(camera)), options: options)
    }

    @Test(arguments: [("h264_1080p25", 320, 180), ("h265_1080p25", 320, 180), ("h264_d1", 320, 260)])
    func snapshot_ofFleetCamera_isAJPEGThatFFmpegDecodesAtThatSize(camera: String, width: Int, height: Int) async throws {
        let report = try await snapshot(of: camera)
        #expect(report.failure == nil)
        let snapshot = try #require(report.snapshot, "no snapshot of \(camera)")
        #expect(snapshot.width == width && snapshot.height == height)
        #expect(snapshot.takenAt == report.startedAt)
        #expect(snapshot.jpeg.count < Snapshot.maximumBytes)
        let decoded = try Self.referee(snapshot.jpeg)
        #expect(decoded.codec == "mjpeg")
        #expect(decoded.pixelFormat == "yuvj420p")
        #expect(decoded.width == width && decoded.height == height)
        #expect(decoded.rgb.count == width * height * 3)
        // SMPTE colour bars: most of the picture is saturated colour, which only
        // survives when the chroma planes were scaled and placed right.
        #expect(decoded.colourfulShare > 0.4, "colourful share \(decoded.colourfulShare)")
    }

    @Test func snapshot_ofBlueNoSignalScreen_isBlue() async throws {
        let report = try await snapshot(of: "nosignal_blue")
        let decoded = try Self.referee(try #require(report.snapshot).jpeg)
        // videotestsrc's blue is RGB (0, 0, 255): the conversion from limited-range
        // YUV must bring it back near there, not to a washed-out (16, 16, 235).
        #expect(decoded.mean(2) > 225, "blue \(decoded.mean(2))")
        #expect(decoded.mean(0) < 30 && decoded.mean(1) < 30, "red \(decoded.mean(0)), green \(decoded.mean(1))")
    }

    @Test func snapshot_notAskedFor_isNotMade() async throws {
        let report = try await snapshot(of: "h264_d1", snapshot: false)
        #expect(report.picture != nil)
        #expect(report.snapshot == nil)
    }
}

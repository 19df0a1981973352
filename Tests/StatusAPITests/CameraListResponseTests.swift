import CamProbeCore
import Foundation
import Hummingbird
@testable import StatusAPI
import Testing

/// `GET /v1/cameras` written in pieces: byte for byte what the encoder gives
/// for the whole ``CameraList``, and never the whole document at once.
struct CameraListResponseTests {
    /// Collects what a response body writes, piece by piece.
    final class Pieces: @unchecked Sendable {
        var pieces: [[UInt8]] = []
        var finished = false
    }

    struct Collector: ResponseBodyWriter {
        let into: Pieces
        mutating func write(_ buffer: ByteBuffer) async throws { into.pieces.append(Array(buffer.readableBytesView)) }
        mutating func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
            for buffer in buffers { try await write(buffer) }
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws { into.finished = true }
    }

    static func body(_ cameras: [CameraStatus]) async throws -> Pieces {
        let pieces = Pieces()
        try await CameraListResponse.make(cameras).body.write(Collector(into: pieces))
        #expect(pieces.finished)
        return pieces
    }

    static func encoded(_ cameras: [CameraStatus]) throws -> [UInt8] {
        Array(try StatusJSON.encoder().encode(CameraList(cameras: cameras))) + [UInt8(ascii: "\n")]
    }

    /// Cameras with every kind of field: reasons and none (an empty array is
    /// written with an empty line inside), no measurement, Cyrillic and
    /// Kazakh text, a school name with a line break and quotes (escaped in
    /// JSON), an archive with gaps.
    static var varied: [CameraStatus] {
        var cameras = Fixtures.cameras
        var odd = cameras[0]
        odd.id = "odd\"cam\n01"
        odd.school = "№5 мектеп\n«Қазақстан» \\ \"жаңа\""
        odd.frameRate = .infinity
        var archived = cameras[1]
        let gap = ArchiveSpan(from: Fixtures.since.addingTimeInterval(-86_400), to: Fixtures.since.addingTimeInterval(-82_800))
        archived.archive = ArchiveStatus(ArchiveMeasurement(
            recorder: "dvr-1", measuredAt: Fixtures.since, source: .onvif, clockOffset: -2.5,
            channels: [ChannelArchive(
                channel: 1, earliest: Fixtures.since.addingTimeInterval(-12 * 86_400), latest: Fixtures.since, gaps: [gap])]),
            channel: 1)
        cameras += [odd, archived]
        return cameras
    }

    @Test func list_isByteForByteTheEncodersDocument() async throws {
        for cameras in [Self.varied, [Self.varied[0]], Array(Self.varied.prefix(2))] {
            let pieces = try await Self.body(cameras)
            #expect(pieces.pieces.flatMap { $0 } == (try Self.encoded(cameras)))
        }
    }

    @Test func emptyList_isTheEncodersDocument() async throws {
        let pieces = try await Self.body([])
        let body = pieces.pieces.flatMap { $0 }
        #expect(body == (try Self.encoded([])))
        #expect(try StatusJSON.decoder().decode(CameraList.self, from: Data(body)) == CameraList(cameras: []))
    }

    @Test func regionSizedList_comesInPiecesOfBoundedSize_andDecodesToTheSameCameras() async throws {
        let cameras = (0..<3_000).map { index -> CameraStatus in
            var camera = Self.varied[index % Self.varied.count]
            camera.id = "cam-\(index)"
            return camera
        }
        let pieces = try await Self.body(cameras)
        let whole = pieces.pieces.flatMap { $0 }
        #expect(whole.count > 1_000_000)
        #expect(pieces.pieces.count > whole.count / (CameraListResponse.pieceBytes + 4096))
        // A piece ends as soon as it passes the size: by at most one camera.
        #expect(pieces.pieces.allSatisfy { $0.count < CameraListResponse.pieceBytes + 4096 })
        #expect(whole == (try Self.encoded(cameras)))
        let decoded = try StatusJSON.decoder().decode(CameraList.self, from: Data(whole))
        #expect(decoded.count == 3_000)
        #expect(decoded.cameras.map(\.id) == cameras.map(\.id))
    }
}

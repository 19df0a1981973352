import CamProbeCore
import Foundation
import Glibc
@testable import Probe
import Testing

/// The native client's framing on a real socket pair: what the camera writes
/// arrives in arbitrary pieces, and the connection must cut responses and
/// interleaved frames out of its buffer exactly.
@Suite struct RTSPConnectionTests {
    final class Pair {
        let camera: Int32
        let connection: RTSPConnection
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 * 1024, alignment: 16)
        let interrupt = InterruptState()

        init() {
            var fds: [Int32] = [0, 0]
            precondition(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            camera = fds[1]
            interrupt.deadline = MonotonicClock.now() + 2
            connection = RTSPConnection(
                socket: TCPSocket(fd: fds[0], address: SocketAddress(numeric: "127.0.0.1", port: 554)!), buffer: buffer, interrupt: interrupt)
        }

        deinit {
            close(camera)
            buffer.deallocate()
        }

        func write(_ bytes: [UInt8]) {
            let sent = bytes.withUnsafeBytes { Glibc.write(camera, $0.baseAddress, $0.count) }
            precondition(sent == bytes.count)
        }

        func frame(_ channel: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [UInt8(ascii: "$"), channel, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
        }
    }

    @Test func response_afterInterleavedFramesAndAServerRequest_isReadWithItsBody() throws {
        let pair = Pair()
        let sdp = Array("v=0\r\nm=video 0 RTP/AVP 96\r\n".utf8)
        let bytes = pair.frame(0, [1, 2, 3])
            + Array("GET_PARAMETER rtsp://10.0.0.5/ RTSP/1.0\r\nCSeq: 9\r\n\r\n".utf8)
            + Array("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: \(sdp.count)\r\n\r\n".utf8) + sdp
            + pair.frame(1, [9])
        // Written in pieces of 7 bytes: every boundary falls mid-message somewhere.
        for start in stride(from: 0, to: bytes.count - 5, by: 7) { pair.write(Array(bytes[start..<min(start + 7, bytes.count - 5)])) }
        pair.write(Array(bytes[(bytes.count - 5)...]))
        let response = try pair.connection.readResponse()
        #expect(response.status == 200)
        #expect(response.cseq == 1)
        #expect(response.body == sdp)
        let frame = try pair.connection.nextFrame()
        #expect(frame.channel == 1)
        #expect(Array(frame.payload) == [9])
    }

    @Test func frames_largestSizeAndManyInOneRead_comeOutExactly() throws {
        let pair = Pair()
        let big = (0..<65_535).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var bytes: [UInt8] = []
        for index in 0..<40 { bytes += pair.frame(UInt8(index % 2), [UInt8(index), 0xAB]) }
        bytes += pair.frame(0, big)
        // More than the socket pair holds: written from another thread while read.
        let fd = pair.camera
        let all = bytes
        let writer = Thread {
            var offset = 0
            while offset < all.count {
                let sent = all.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if sent <= 0 { break }
                offset += sent
            }
        }
        writer.start()
        for index in 0..<40 {
            let frame = try pair.connection.nextFrame()
            #expect(frame.channel == UInt8(index % 2))
            #expect(Array(frame.payload) == [UInt8(index), 0xAB])
        }
        let last = try pair.connection.nextFrame()
        #expect(last.payload.count == 65_535)
        #expect(Array(last.payload) == big)
        // 40 small frames and a 64 KiB one: a handful of reads, not one per frame.
        #expect(pair.connection.bytesReceived == bytes.count)
    }

    @Test func silentCamera_endsAtTheDeadline() {
        let pair = Pair()
        pair.interrupt.deadline = MonotonicClock.now() + 0.3
        let started = MonotonicClock.now()
        #expect(throws: RTSPConnectionError.interrupted) { try pair.connection.readResponse() }
        let waited = MonotonicClock.now() - started
        #expect(waited >= 0.29 && waited < 1.5, "waited \(waited) s")
    }

    @Test func closedConnection_andGarbage_areNamed() {
        let pair = Pair()
        pair.write(Array("\u{16}\u{03}\u{01} binary\r\n".utf8))
        #expect(throws: RTSPConnectionError.self) { try pair.connection.readResponse() }
        let other = Pair()
        other.write(Array("RTSP/1.0 200".utf8))
        shutdown(other.camera, Int32(SHUT_WR))
        #expect(throws: RTSPConnectionError.closed) { try other.connection.readResponse() }
    }
}

/// What a hostile camera sends, against the connection's limits: refused with
/// a classified error, never a trap, never past the deadline.
@Suite struct RTSPConnectionLimitTests {
    typealias Pair = RTSPConnectionTests.Pair

    @Test func headLongerThanTheLimit_arrivingWholeInOneRead_isRefused() throws {
        let pair = Pair()
        // All of it in the socket before the first read: one recv brings the
        // blank line too. Its body would not fit the buffer (a trap before).
        let head = "RTSP/1.0 200 OK\r\nCSeq: 1\r\nX-Pad: " + String(repeating: "A", count: 100_000) + "\r\nContent-Length: 65536\r\n\r\n"
        pair.write(Array(head.utf8))
        #expect(throws: RTSPConnectionError.message(.headTooLong)) { try pair.connection.readResponse() }
    }

    @Test func serverRequestsWithoutEnd_areAFloodNotAHang() throws {
        let pair = Pair()
        let request = Array("GET_PARAMETER rtsp://10.0.0.5/ RTSP/1.0\r\nCSeq: 3\r\n\r\n".utf8)
        pair.write(Array((0..<(CameraLimits.skippedMessages + 1)).map { _ in request }.joined()))
        #expect(throws: RTSPConnectionError.flood(CameraLimits.skippedMessages + 1)) { try pair.connection.readResponse() }
    }

    @Test func emptyFramesThatNeverStop_endAtTheDeadline_evenWithBytesWaiting() throws {
        let pair = Pair()
        // Bytes are always there, so no read would block: the deadline must be
        // checked per frame.
        pair.write(Array(repeating: pair.frame(0, []), count: 10_000).joined().map { $0 })
        pair.interrupt.deadline = MonotonicClock.now() - 1
        #expect(throws: RTSPConnectionError.interrupted) { try pair.connection.readResponse() }
    }
}

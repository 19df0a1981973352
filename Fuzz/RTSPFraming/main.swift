// The native client's connection (Sources/Probe/RTSP/RTSPConnection.swift, compiled
// into this harness unchanged) reading what a camera sends: RTSP answers,
// requests from the camera and `$`-framed interleaved RTP/RTCP, in any mix.
//
// The socket is replaced by this file's `recv` and `poll`, which shadow Glibc's
// inside this module: `recv` hands out the fuzz input in reads of the sizes the
// split seed chooses (input byte 0, see ReadSplitter), answers EAGAIN between
// two reads as a socket with nothing queued does, and 0 (closed) at the end.
// Input byte 1 chooses which of the first eight calls are `readResponse` (bit
// set) or `nextFrame`, the handshake and the media; `nextFrame` after that.
//
// Invariants: every call consumes bytes (at least 4) or ends the connection; a closed
// connection has received exactly the input; a frame's payload lies in the
// receive buffer and is at most 65,535 bytes; a response's body is its
// Content-Length, within the limit.
import CamProbeCore
import Glibc

/// `ProbeWorkspace.receiveBuffer`'s size; one for the process, as one worker keeps one.
nonisolated(unsafe) let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

/// The camera's side of the socket for one input.
final class FakeSocket {
    let stream: [UInt8]
    var offset = 0
    /// Bytes of the current read not yet taken (a read larger than `recv` asked for).
    var pending = 0
    var splitter: ReadSplitter
    var wouldBlock = false

    init(stream: [UInt8], seed: UInt8) {
        self.stream = stream
        splitter = ReadSplitter(seed: seed)
    }

    func receive(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        invariant(count > 0, "recv for \(count) bytes")
        if pending == 0 {
            if offset == stream.count { return 0 }
            // Between two reads the socket has nothing queued.
            if wouldBlock {
                wouldBlock = false
                errno = EAGAIN
                return -1
            }
            pending = splitter.next(remaining: stream.count - offset)
        }
        let taken = min(pending, count)
        stream.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + offset, byteCount: taken) }
        offset += taken
        pending -= taken
        if pending == 0 { wouldBlock = true }
        return taken
    }
}

nonisolated(unsafe) var socket: FakeSocket?

/// Shadows Glibc's `recv` for RTSPConnection.swift.
func recv(_ fd: Int32, _ buffer: UnsafeMutableRawPointer!, _ count: Int, _ flags: Int32) -> Int {
    guard let socket else {
        errno = EBADF
        return -1
    }
    return socket.receive(into: buffer, count: count)
}

/// Shadows Glibc's `poll`: the fake socket is always readable after EAGAIN.
func poll(_ fds: UnsafeMutablePointer<pollfd>!, _ count: nfds_t, _ timeout: Int32) -> Int32 {
    fds.pointee.revents = fds.pointee.events
    return 1
}

/// Stands in for Probe's TCPSocket: the connection only uses its descriptor.
final class TCPSocket {
    let fd: Int32 = -1
}

enum Outcome { case frame(Int), response(Int), ended(RTSPConnectionError) }

func run(_ stream: [UInt8], seed: UInt8, calls: UInt8) -> [Outcome] {
    let fake = FakeSocket(stream: stream, seed: seed)
    socket = fake
    defer { socket = nil }
    let interrupt = InterruptState()
    interrupt.deadline = MonotonicClock.now() + 3600
    let connection = RTSPConnection(socket: TCPSocket(), buffer: receiveBuffer, interrupt: interrupt)
    var outcomes: [Outcome] = []
    var index = 0
    while true {
        do {
            if index < 8, calls & (1 << index) != 0 {
                let response = try connection.readResponse()
                invariant(response.status != 0, "a request from the camera returned as a response")
                invariant(response.body.count == response.contentLength, "body \(response.body.count) ≠ Content-Length \(response.contentLength ?? -1)")
                invariant(response.body.count <= RTSPResponse.maximumBodyLength, "body of \(response.body.count) bytes")
                outcomes.append(.response(response.status))
            } else {
                let frame = try connection.nextFrame()
                let base = UnsafeRawPointer(receiveBuffer.baseAddress!)
                invariant(frame.payload.count <= 65_535, "frame of \(frame.payload.count) bytes")
                if let start = frame.payload.baseAddress {
                    invariant(start >= base && start + frame.payload.count <= base + receiveBuffer.count, "payload outside the receive buffer")
                }
                // Touch every byte, as the RTP reader does.
                var sum: UInt8 = 0
                for byte in frame.payload { sum &+= byte }
                _ = sum
                outcomes.append(.frame(frame.payload.count))
            }
        } catch {
            if error == .closed {
                invariant(fake.offset == stream.count, "closed after \(fake.offset) of \(stream.count) bytes")
            }
            invariant(connection.bytesReceived == fake.offset, "counted \(connection.bytesReceived) bytes, received \(fake.offset)")
            outcomes.append(.ended(error))
            return outcomes
        }
        // A frame takes at least 4 bytes, a response more: no call returns without consuming.
        invariant(outcomes.count <= stream.count / 4, "\(outcomes.count) messages from \(stream.count) bytes")
        index += 1
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTSPFraming(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzBytes(data, size)
    guard input.count >= 2 else { return 0 }
    _ = run(Array(input.dropFirst(2)), seed: input[0], calls: input[1])
    return 0
}

/// Fails loudly when the harness no longer drives the connection (if
/// RTSPConnection stopped calling `recv` unqualified, the real one would run).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let stream: [UInt8] = Array("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 2\r\n\r\nv=".utf8) + [0x24, 0, 0, 2, 0xAB, 0xCD]
    let outcomes = run(stream, seed: 7, calls: 0b1)
    guard outcomes.count == 3, case .response(200) = outcomes[0], case .frame(2) = outcomes[1], case .ended(.closed) = outcomes[2] else {
        fatalError("the harness does not drive RTSPConnection through its fake socket: \(outcomes)")
    }
    return 0
}

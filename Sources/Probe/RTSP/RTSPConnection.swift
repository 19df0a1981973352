import CamProbeCore
import Glibc

/// The RTSP connection to a camera: requests out, responses and interleaved
/// RTP/RTCP frames in, through one userspace receive buffer.
///
/// This is where the probe's system calls go. FFmpeg's own RTSP reader takes
/// three `recv` calls per interleaved packet (the `$`, the 3-byte header, the
/// payload), each after a `poll`, and reads handshake replies one byte at a
/// time; here one `recv` brings in everything the kernel holds, tens of
/// packets at once, and frames are cut out of the buffer in place.
///
/// Every wait is bounded by the interrupt state's deadline, in slices of at
/// most 100 ms so that a cancel from another thread is seen promptly; and the
/// deadline is checked for every message and frame, not only when a read
/// would block: a camera that floods bytes never makes the reader wait.
/// Sizes a camera declares are checked before they are used
/// (`CameraLimits`): nothing here traps on what a camera sends.
final class RTSPConnection {
    private let socket: TCPSocket
    private let interrupt: InterruptState
    private let buffer: UnsafeMutableRawBufferPointer
    /// Unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    /// Bytes received, for the probe's accounting.
    private(set) var bytesReceived = 0

    /// `buffer` is the worker's receive buffer: it must hold the largest
    /// interleaved frame (64 KiB + 4) and outlive the connection.
    init(socket: TCPSocket, buffer: UnsafeMutableRawBufferPointer, interrupt: InterruptState) {
        assert(buffer.count >= CameraLimits.interleavedFrameBytes + CameraLimits.responseHeadBytes)
        self.socket = socket
        self.buffer = buffer
        self.interrupt = interrupt
        var one: Int32 = 1
        setsockopt(socket.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    // MARK: Writing

    /// Sends all of `bytes` before the deadline.
    func send(_ bytes: [UInt8]) throws(RTSPConnectionError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(socket.fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            let code = errno
            if sent < 0, code == EINTR { continue }
            guard sent < 0, code == EAGAIN || code == EWOULDBLOCK else { throw Self.failure(code) }
            try wait(for: Int16(POLLOUT))
        }
    }

    /// Sends without waiting: RTCP receiver reports are dropped, not queued,
    /// when the socket's send buffer is full.
    func sendIfWritable(_ bytes: UnsafeRawBufferPointer) {
        _ = Glibc.send(socket.fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
    }

    // MARK: Reading

    /// The next RTSP response, skipping interleaved frames that arrive before
    /// it and requests from the camera (at most `CameraLimits.skippedMessages`).
    func readResponse() throws(RTSPConnectionError) -> RTSPResponse {
        var skipped = 0
        while true {
            try checkDeadline()
            try need(1)
            if buffer[start] == UInt8(ascii: "$") {
                try need(4)
                let length = frameLength()
                try need(4 + length)
                start += 4 + length
                continue
            }
            let message = try readMessage()
            if message.status != 0 { return message }
            skipped += 1
            if skipped > CameraLimits.skippedMessages { throw .flood(skipped) }
        }
    }

    /// The next interleaved frame: its channel and its payload, which stays
    /// valid until the next read. RTSP messages from the camera in between
    /// (a late answer, a server request such as a keep-alive) are read and
    /// skipped, at most `CameraLimits.skippedMessages` in a row.
    func nextFrame() throws(RTSPConnectionError) -> (channel: UInt8, payload: UnsafeRawBufferPointer) {
        var skipped = 0
        while true {
            try checkDeadline()
            try need(1)
            guard buffer[start] == UInt8(ascii: "$") else {
                _ = try readMessage()
                skipped += 1
                if skipped > CameraLimits.skippedMessages { throw .flood(skipped) }
                continue
            }
            try need(4)
            let length = frameLength()
            try need(4 + length)
            let channel = buffer[start + 1]
            let payload = UnsafeRawBufferPointer(rebasing: buffer[(start + 4)..<(start + 4 + length)])
            start += 4 + length
            return (channel, payload)
        }
    }

    /// A 16-bit length: at most 65,535, which the buffer always holds.
    private func frameLength() -> Int { Int(buffer[start + 2]) << 8 | Int(buffer[start + 3]) }

    private func checkDeadline() throws(RTSPConnectionError) {
        if interrupt.shouldInterrupt() { throw .interrupted }
    }

    private func readMessage() throws(RTSPConnectionError) -> RTSPResponse {
        var parsed: (response: RTSPResponse, headLength: Int)?
        while parsed == nil {
            do {
                parsed = try RTSPResponse.parseHead(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
            } catch {
                throw .message(error)
            }
            // parseHead throws past the head limit, so this asks for at most
            // `CameraLimits.responseHeadBytes` + 1.
            if parsed == nil { try need(end - start + 1) }
        }
        guard let (parsedResponse, headLength) = parsed, let length = parsedResponse.contentLength else { throw .closed }
        var response = parsedResponse
        // Head and body are both bounded by parseHead: together far below the buffer.
        try need(headLength + length)
        response.body = Array(buffer[(start + headLength)..<(start + headLength + length)])
        start += headLength + length
        return response
    }

    /// Makes sure `count` unread bytes are in the buffer, receiving as much as
    /// the kernel holds each time.
    private func need(_ count: Int) throws(RTSPConnectionError) {
        // The limits keep every request far below the buffer; should one not,
        // the camera's message is refused instead of the process trapping.
        guard count <= buffer.count else { throw .tooLarge(count) }
        while end - start < count {
            if start > 0, buffer.count - start < count || end == start {
                // Move the unread tail to the front to make room.
                let unread = end - start
                if unread > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: unread) }
                start = 0
                end = unread
            }
            let received = recv(socket.fd, buffer.baseAddress! + end, buffer.count - end, Int32(MSG_DONTWAIT))
            if received > 0 {
                end += received
                bytesReceived += received
                continue
            }
            if received == 0 { throw .closed }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { throw Self.failure(code) }
            try wait(for: Int16(POLLIN))
        }
    }

    /// Waits for the socket until the interrupt deadline (or a cancel).
    private func wait(for events: Int16) throws(RTSPConnectionError) {
        while true {
            if interrupt.shouldInterrupt() { throw .interrupted }
            let remaining = interrupt.deadline - MonotonicClock.now()
            var pfd = pollfd(fd: socket.fd, events: events, revents: 0)
            let ready = poll(&pfd, 1, Int32(max(1, min(remaining, 0.1) * 1000).rounded(.up)))
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw Self.failure(errno) }
        }
    }

    private static func failure(_ code: Int32) -> RTSPConnectionError {
        code == ECONNRESET || code == EPIPE ? .closed : .system(code)
    }
}

/// Why the connection could not deliver what was asked.
enum RTSPConnectionError: Error, Equatable {
    /// The deadline passed or the probe was cancelled.
    case interrupted
    /// The camera closed the connection.
    case closed
    case system(Int32)
    /// Bytes that are neither an RTSP message nor an interleaved frame.
    case message(RTSPMessageError)
    /// More RTSP messages in a row than `CameraLimits.skippedMessages` without
    /// the answer or frame awaited.
    case flood(Int)
    /// A message larger than the receive buffer.
    case tooLarge(Int)

    var text: String {
        switch self {
        case .interrupted: return "interrupted"
        case .closed: return "the camera closed the connection"
        case .system(let code): return String(cString: strerror(code)).lowercased()
        case .message(let error): return error.description
        case .flood(let count): return "\(count) RTSP messages in a row without the awaited answer or media (CameraLimits.skippedMessages)"
        case .tooLarge(let count): return "an RTSP message of \(count) bytes, larger than the receive buffer"
        }
    }
}

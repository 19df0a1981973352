internal import CFFmpeg
import Glibc

/// Hands FFmpeg's SDP reader the RTP and RTCP packets of a native RTSP
/// session, one packet per read: the demuxer runs with `sdp_flags=custom_io`,
/// so its depacketizers (H.264, H.265, MJPEG, …), its RTCP sender-report
/// handling and its receiver reports all work as in its own RTSP reader, on
/// packets cut out of `RTSPConnection`'s buffer.
///
/// The AVIO context is packet-based (`write_flag` set, so `avio_read_partial`
/// calls `read` straight into the demuxer's buffer): receiver reports FFmpeg
/// writes come back through `write` and go to the camera on the RTCP channel.
final class RTPPacketIO {
    let client: RTSPClient
    let playback: RTSPPlayback
    private let interrupt: InterruptState
    private(set) var context: UnsafeMutablePointer<AVIOContext>?
    private var outgoing: [UInt8] = []
    private var packetsRead = 0

    init(client: RTSPClient, playback: RTSPPlayback, interrupt: InterruptState) throws(FFmpegOpenError) {
        self.client = client
        self.playback = playback
        self.interrupt = interrupt
        let context = try AVIOCallbacks.allocate(
            writable: true, opaque: Unmanaged.passUnretained(self).toOpaque(),
            read: { opaque, destination, capacity in
                guard let opaque, let destination else { return cp_averror(EINVAL) }
                return Unmanaged<RTPPacketIO>.fromOpaque(opaque).takeUnretainedValue().read(into: destination, capacity: Int(capacity))
            },
            write: { opaque, source, count in
                guard let opaque, let source else { return cp_averror(EINVAL) }
                return Unmanaged<RTPPacketIO>.fromOpaque(opaque).takeUnretainedValue().write(source, count: Int(count))
            })
        // One RTP packet per read, as from a datagram socket.
        context.pointee.max_packet_size = 65_535
        self.context = context
    }

    deinit { release() }

    /// Frees the AVIO context; the demuxer must be closed first.
    func release() {
        AVIOCallbacks.free(&context)
    }

    /// The next packet of the played track's RTP or RTCP channel.
    private func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int32 {
        while true {
            // A camera that floods bytes never makes the reader wait, so the
            // deadline is checked on every packet, not only in poll.
            if interrupt.shouldInterrupt() { return cp_averror_exit() }
            packetsRead &+= 1
            if packetsRead % 256 == 0 { client.keepAliveIfDue(now: MonotonicClock.now()) }
            do throws(RTSPConnectionError) {
                let frame = try client.connection.nextFrame()
                guard frame.channel == playback.rtpChannel || frame.channel == playback.rtcpChannel, !frame.payload.isEmpty else { continue }
                let count = min(frame.payload.count, capacity)
                memcpy(destination, frame.payload.baseAddress!, count)
                return Int32(count)
            } catch {
                switch error {
                case .interrupted: return cp_averror_exit()
                case .closed: return cp_averror_eof()
                case .system(let code): return cp_averror(code)
                case .message: return cp_averror_invaliddata()
                }
            }
        }
    }

    /// A receiver report from FFmpeg, sent on the RTCP channel if the socket
    /// takes it at once.
    private func write(_ source: UnsafeMutablePointer<UInt8>, count: Int) -> Int32 {
        guard count > 0, count <= 65_535 else { return Int32(count) }
        outgoing.removeAll(keepingCapacity: true)
        outgoing += [UInt8(ascii: "$"), playback.rtcpChannel, UInt8(count >> 8), UInt8(count & 0xFF)]
        outgoing.append(contentsOf: UnsafeBufferPointer(start: source, count: count))
        outgoing.withUnsafeBytes { client.connection.sendIfWritable($0) }
        return Int32(count)
    }
}

/// An AVIO context that reads a byte string once: the session description
/// FFmpeg's SDP reader parses while the input opens.
final class MemoryReader {
    private let bytes: [UInt8]
    private var offset = 0
    private(set) var context: UnsafeMutablePointer<AVIOContext>?

    init(_ text: String) throws(FFmpegOpenError) {
        bytes = Array(text.utf8)
        context = try AVIOCallbacks.allocate(
            writable: false, opaque: Unmanaged.passUnretained(self).toOpaque(),
            read: { opaque, destination, capacity in
                guard let opaque, let destination else { return cp_averror(EINVAL) }
                return Unmanaged<MemoryReader>.fromOpaque(opaque).takeUnretainedValue().read(into: destination, capacity: Int(capacity))
            },
            write: nil)
    }

    deinit { AVIOCallbacks.free(&context) }

    private func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int32 {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return cp_averror_eof() }
        bytes.withUnsafeBufferPointer { _ = memcpy(destination, $0.baseAddress! + offset, count) }
        offset += count
        return Int32(count)
    }
}

/// Allocation and release of a callback-driven AVIO context, whose buffer is
/// the caller's to free (`avio_context_free` leaves it).
enum AVIOCallbacks {
    typealias Transfer = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32

    static func allocate(
        writable: Bool, opaque: UnsafeMutableRawPointer, read: Transfer, write: Transfer?
    ) throws(FFmpegOpenError) -> UnsafeMutablePointer<AVIOContext> {
        let size: Int32 = 4096
        guard let buffer = av_malloc(Int(size))?.assumingMemoryBound(to: UInt8.self) else { throw FFmpegOpenError(code: .posix(ENOMEM)) }
        guard let context = avio_alloc_context(buffer, size, writable ? 1 : 0, opaque, read, write, nil) else {
            av_free(buffer)
            throw FFmpegOpenError(code: .posix(ENOMEM))
        }
        return context
    }

    /// Frees the context and its buffer (which FFmpeg may have replaced); idempotent.
    static func free(_ context: inout UnsafeMutablePointer<AVIOContext>?) {
        guard context != nil else { return }
        av_freep(&context!.pointee.buffer)
        avio_context_free(&context)
    }
}

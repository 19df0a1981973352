internal import CFFmpeg
import CamProbeCore
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
    /// The RTP timestamp being received and its bytes so far: an access unit
    /// whose timestamp never changes would grow in FFmpeg's depacketizer (MJPEG
    /// collects a frame until its marker) and in the window, so it is cut off
    /// here, for every codec, at `CameraLimits.accessUnitBytes`.
    private var timestamp: UInt32?
    private var timestampBytes = 0

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

    /// The end of the session this IO carries, once the demuxer reading it is
    /// closed: the AVIO context freed, the RTSP session torn down (TEARDOWN, so
    /// the camera frees its slot at once).
    func close() {
        release()
        client.teardown()
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
                guard frame.channel == playback.rtpChannel || frame.channel == playback.rtcpChannel,
                      let base = frame.payload.baseAddress, !frame.payload.isEmpty else { continue }
                if frame.channel == playback.rtpChannel, let failure = account(frame.payload) {
                    interrupt.abort(failure)
                    return cp_averror_exit()
                }
                let count = min(frame.payload.count, capacity)
                memcpy(destination, base, count)
                return Int32(count)
            } catch {
                switch error {
                case .interrupted: return cp_averror_exit()
                case .closed: return cp_averror_eof()
                case .system(let code): return cp_averror(code)
                case .message, .flood, .tooLarge:
                    interrupt.abort(ProbeFailure(.protocolError, phase: .window, "the camera sent broken RTSP in the stream: \(client.describe(error))"))
                    return cp_averror_exit()
                }
            }
        }
    }

    /// Counts an RTP packet's bytes against its timestamp; the failure once one
    /// timestamp carries more than `CameraLimits.accessUnitBytes`.
    private func account(_ packet: UnsafeRawBufferPointer) -> ProbeFailure? {
        // Not RTP version 2 with a full fixed header: FFmpeg drops it.
        guard packet.count >= 12, packet[0] >> 6 == 2 else { return nil }
        let stamp = UInt32(packet[4]) << 24 | UInt32(packet[5]) << 16 | UInt32(packet[6]) << 8 | UInt32(packet[7])
        if stamp != timestamp {
            timestamp = stamp
            timestampBytes = 0
        }
        timestampBytes += packet.count
        guard timestampBytes > CameraLimits.accessUnitBytes else { return nil }
        return ProbeFailure(.protocolError, phase: .window, "one video frame (RTP timestamp) grew past \(CameraLimits.accessUnitBytes / (1024 * 1024)) MiB without ending (CameraLimits.accessUnitBytes)")
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

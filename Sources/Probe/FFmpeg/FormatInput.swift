internal import CFFmpeg

/// Owns one opened `AVFormatContext`: created in a throwing init that cleans up
/// on failure, closed in `deinit`. The interrupt state outlives the context
/// because the context holds an unretained pointer to it.
final class FormatInput {
    let context: UnsafeMutablePointer<AVFormatContext>
    private let interrupt: InterruptState
    /// Bound on the TEARDOWN sent by `avformat_close_input`.
    private let closeTimeout: Double
    /// The native RTSP session feeding FFmpeg's SDP reader, if this input is one.
    private let packets: RTPPacketIO?
    /// What the interrupt callback reaches through its opaque pointer; owned
    /// here, so it lives as long as the context.
    private let callback: InterruptCallback

    /// Opens `url` (credentials included). Throws the FFmpeg error code.
    /// `redirects` watches the redirects FFmpeg's RTSP reader follows.
    init(
        url: String, options: [(String, String)], interrupt: InterruptState, closeTimeout: Double, redirects: RedirectGuard?
    ) throws(FFmpegOpenError) {
        guard var context = avformat_alloc_context() else { throw FFmpegOpenError(code: .posix(ENOMEM)) }
        self.interrupt = interrupt
        self.closeTimeout = closeTimeout
        self.packets = nil
        callback = InterruptCallback(interrupt: interrupt, context: context, redirects: redirects)
        Self.prepare(context, callback: callback)
        var dictionary: OpaquePointer?
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        var contextOrNil: UnsafeMutablePointer<AVFormatContext>? = context
        let status = avformat_open_input(&contextOrNil, url, nil, &dictionary)
        // "on failure, *ps is freed and set to NULL": do not free it again.
        guard status >= 0, let opened = contextOrNil else { throw FFmpegOpenError(code: AVErrorCode(code: status)) }
        context = opened
        self.context = context
    }

    /// Opens FFmpeg's SDP reader on a native RTSP session that is playing: the
    /// description is read from memory, then the packets come from `packets`.
    init(packets: RTPPacketIO, interrupt: InterruptState, closeTimeout: Double) throws(FFmpegOpenError) {
        guard var context = avformat_alloc_context() else { throw FFmpegOpenError(code: .posix(ENOMEM)) }
        self.interrupt = interrupt
        self.closeTimeout = closeTimeout
        self.packets = packets
        callback = InterruptCallback(interrupt: interrupt, context: context, redirects: nil)
        Self.prepare(context, callback: callback)
        guard let format = av_find_input_format("sdp") else {
            avformat_free_context(context)
            throw FFmpegOpenError(code: AVErrorCode(code: cp_averror_demuxer_not_found()))
        }
        let description = try MemoryReader(packets.playback.sessionDescription)
        context.pointee.pb = description.context
        var dictionary: OpaquePointer?
        // In-order TCP needs no reordering queue.
        for (key, value) in [("sdp_flags", "custom_io"), ("reorder_queue_size", "0")] { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        var contextOrNil: UnsafeMutablePointer<AVFormatContext>? = context
        let status = avformat_open_input(&contextOrNil, "", format, &dictionary)
        guard status >= 0, let opened = contextOrNil else { throw FFmpegOpenError(code: AVErrorCode(code: status)) }
        // From here on the demuxer reads packets; the description is consumed.
        opened.pointee.pb = packets.context
        context = opened
        self.context = context
    }

    private static func prepare(_ context: UnsafeMutablePointer<AVFormatContext>, callback: InterruptCallback) {
        // The callback must be in place before avformat_open_input: the connect
        // and the RTSP handshake happen inside it.
        context.pointee.interrupt_callback.callback = { opaque in
            guard let opaque else { return 0 }
            return Unmanaged<InterruptCallback>.fromOpaque(opaque).takeUnretainedValue().shouldInterrupt() ? 1 : 0
        }
        context.pointee.interrupt_callback.opaque = Unmanaged.passUnretained(callback).toOpaque()
        // Frame-wise packets straight from the depacketizer: the prober groups
        // NAL units into frames itself and needs no parser pass over every byte.
        context.pointee.flags |= AVFMT_FLAG_NOPARSE | AVFMT_FLAG_NOFILLIN | AVFMT_FLAG_NOBUFFER
    }

    deinit {
        // avformat_close_input sends TEARDOWN; a deadline that already fired would
        // abort it and leave the camera holding a session slot. Give it a fresh one.
        interrupt.renewForClose(until: MonotonicClock.now() + closeTimeout)
        var contextOrNil: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&contextOrNil)
        // A custom AVIO context is the caller's to free, after the demuxer.
        packets?.close()
    }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        context.pointee.streams[index]!
    }
}

/// The interrupt callback's target: the deadline, and the redirect guard
/// that needs the context's URL. The context pointer is the one
/// `avformat_open_input` fills in place (it allocates no other when given one).
private final class InterruptCallback {
    let interrupt: InterruptState
    let context: UnsafeMutablePointer<AVFormatContext>
    let redirects: RedirectGuard?

    init(interrupt: InterruptState, context: UnsafeMutablePointer<AVFormatContext>, redirects: RedirectGuard?) {
        self.interrupt = interrupt
        self.context = context
        self.redirects = redirects
    }

    func shouldInterrupt() -> Bool {
        if let redirects, redirects.shouldInterrupt(url: context.pointee.url) { return true }
        return interrupt.shouldInterrupt()
    }
}

struct FFmpegOpenError: Error {
    let code: AVErrorCode
}

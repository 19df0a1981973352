internal import CFFmpeg
import CamProbeCore
import Foundation

/// One opened decoder, reused for probe after probe (flushed between them) so a
/// probe pays neither `avcodec_open2` nor fresh frame-buffer allocations.
/// Single-threaded, loop filter skipped: it decodes one keyframe at a time and
/// only the picture's brightness and detail matter, not its exactness.
final class KeyframeDecoder {
    let codecID: AVCodecID
    private let context: UnsafeMutablePointer<AVCodecContext>
    private var frame: UnsafeMutablePointer<AVFrame>
    private var packet: UnsafeMutablePointer<AVPacket>
    /// Packet storage kept across decodes; grown when a keyframe is larger.
    private var packetBuffer: UnsafeMutablePointer<AVBufferRef>?
    /// Column sums, minima and maxima of the luma plane, kept across decodes.
    private var columnSums: [UInt32] = []
    private var columnMinima: [UInt16] = []
    private var columnMaxima: [UInt16] = []
    /// Thumbnails are box averages at most this wide.
    static let thumbnailMaxWidth = 320
    /// Made on the first snapshot asked for.
    private var snapshotEncoder: SnapshotEncoder?

    /// `extradata` is set on the decoder only for length-prefixed (avcC/hvcC)
    /// streams; Annex-B parameter sets travel in-band with the keyframe.
    init?(codecID: AVCodecID, extradata: [UInt8]?) {
        guard let codec = avcodec_find_decoder(codecID), let context = avcodec_alloc_context3(codec) else { return nil }
        var ctx: UnsafeMutablePointer<AVCodecContext>? = context
        context.pointee.thread_count = 1
        context.pointee.skip_loop_filter = AVDISCARD_ALL
        context.pointee.flags2 |= AV_CODEC_FLAG2_FAST
        // A lying SPS (16000×16000) is refused before the decoder allocates for it.
        context.pointee.max_pixels = Int64(CameraLimits.maximumPixels)
        if let extradata, !extradata.isEmpty {
            let size = extradata.count
            guard let buffer = av_mallocz(size + Int(AV_INPUT_BUFFER_PADDING_SIZE)) else {
                avcodec_free_context(&ctx)
                return nil
            }
            extradata.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: size) }
            context.pointee.extradata = buffer.assumingMemoryBound(to: UInt8.self)
            context.pointee.extradata_size = Int32(size)
        }
        guard avcodec_open2(context, codec, nil) >= 0, let frame = av_frame_alloc(), let packet = av_packet_alloc() else {
            avcodec_free_context(&ctx)
            return nil
        }
        self.codecID = codecID
        self.context = context
        self.frame = frame
        self.packet = packet
    }

    deinit {
        var ctx: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&ctx)
        var f: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&f)
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
        av_buffer_unref(&packetBuffer)
    }

    /// What the decoder holds on to between probes: the coded picture area its
    /// frame pool is sized for, and the packet storage's bytes.
    var footprint: (pixels: Int, packetBytes: Int) {
        (Int(context.pointee.coded_width) * Int(context.pointee.coded_height), packetBuffer.map { Int($0.pointee.size) } ?? 0)
    }

    struct Picture {
        let width: Int
        let height: Int
        let thumbnail: LumaThumbnail
        /// When asked for and the picture could be encoded.
        var snapshot: Snapshot?
    }

    /// Decodes one complete access unit (`prefix` — parameter sets — then
    /// `accessUnit`) and returns the picture's size and luma thumbnail, or nil
    /// when the decoder produced no picture. With `snapshotAt`, the picture also
    /// comes as a ``Snapshot`` taken at that time.
    func decode(prefix: [UInt8], accessUnit: [UInt8], snapshotAt: Date? = nil) -> Picture? {
        avcodec_flush_buffers(context)
        let size = prefix.count + accessUnit.count
        let padded = size + Int(AV_INPUT_BUFFER_PADDING_SIZE)
        guard size > 0, size < Int(Int32.max) - padded else { return nil }
        // "The allocated memory should be AV_INPUT_BUFFER_PADDING_SIZE bytes larger
        // than the actual read bytes", and the padding zeroed.
        if packetBuffer == nil || Int(packetBuffer!.pointee.size) < padded {
            guard av_buffer_realloc(&packetBuffer, padded + padded / 2) >= 0 else { return nil }
        }
        guard let storage = packetBuffer, let data = storage.pointee.data,
              let reference = av_buffer_ref(storage) else { return nil }
        prefix.withUnsafeBufferPointer { if let base = $0.baseAddress { data.update(from: base, count: $0.count) } }
        accessUnit.withUnsafeBufferPointer { if let base = $0.baseAddress { (data + prefix.count).update(from: base, count: $0.count) } }
        (data + size).initialize(repeating: 0, count: Int(AV_INPUT_BUFFER_PADDING_SIZE))
        packet.pointee.buf = reference
        packet.pointee.data = data
        packet.pointee.size = Int32(size)
        packet.pointee.flags = AV_PKT_FLAG_KEY
        defer { av_packet_unref(packet) }
        guard avcodec_send_packet(context, packet) >= 0 else { return nil }
        // Drain: the decoder may hold the picture back for reordering.
        avcodec_send_packet(context, nil)
        var picture: Picture?
        while avcodec_receive_frame(context, frame) >= 0 {
            if picture == nil {
                picture = makePicture()
                if let snapshotAt { picture?.snapshot = makeSnapshot(at: snapshotAt) }
            }
            av_frame_unref(frame)
        }
        avcodec_flush_buffers(context)
        return picture
    }

    private func makeSnapshot(at time: Date) -> Snapshot? {
        if snapshotEncoder == nil { snapshotEncoder = SnapshotEncoder() }
        return snapshotEncoder?.encode(frame, takenAt: time)
    }

    private func makePicture() -> Picture? {
        let width = Int(frame.pointee.width)
        let height = Int(frame.pointee.height)
        guard width > 0, height > 0, let plane = frame.pointee.data.0,
              let descriptor = av_pix_fmt_desc_get(AVPixelFormat(frame.pointee.format)) else { return nil }
        let depth = Int(descriptor.pointee.comp.0.depth)
        let stride = Int(frame.pointee.linesize.0)
        let format = AVPixelFormat(frame.pointee.format)
        let fullRange = frame.pointee.color_range == AVCOL_RANGE_JPEG
            || format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P
        guard let thumbnail = boxAverage(
            plane: UnsafeRawPointer(plane), stride: stride, width: width, height: height,
            wideSamples: depth > 8, shift: max(0, depth - 8), fullRange: fullRange) else { return nil }
        return Picture(width: width, height: height, thumbnail: thumbnail)
    }

    /// Box-averages the luma plane (rows `stride` bytes apart) down to at most
    /// `thumbnailMaxWidth` columns, keeping the aspect ratio, and records each block's
    /// range (largest minus smallest sample read) beside its mean. Rows are folded
    /// into per-column sums, minima and maxima first (straight loops the compiler
    /// vectorises), then each block's columns are combined.
    private func boxAverage(
        plane: UnsafeRawPointer, stride: Int, width: Int, height: Int,
        wideSamples: Bool, shift: Int, fullRange: Bool
    ) -> LumaThumbnail? {
        let factor = max(1, (width + Self.thumbnailMaxWidth - 1) / Self.thumbnailMaxWidth)
        let outWidth = width / factor
        let outHeight = height / factor
        guard outWidth > 0, outHeight > 0 else { return nil }
        if columnSums.count < width {
            columnSums = [UInt32](repeating: 0, count: width)
            columnMinima = [UInt16](repeating: 0, count: width)
            columnMaxima = [UInt16](repeating: 0, count: width)
        }
        var pixels = [UInt8](repeating: 0, count: outWidth * outHeight)
        var ranges = [UInt8](repeating: 0, count: outWidth * outHeight)
        // A few rows of a block are enough for its average, and the frame is no
        // longer in cache: reading every third row of a block (every second for
        // small factors) cuts the memory traffic of a 1080p frame by 3.
        let rowStep = factor >= 6 ? 3 : (factor >= 2 ? 2 : 1)
        let area = UInt32(factor * ((factor + rowStep - 1) / rowStep))
        columnSums.withUnsafeMutableBufferPointer { sums in
            columnMinima.withUnsafeMutableBufferPointer { minima in
                columnMaxima.withUnsafeMutableBufferPointer { maxima in
                    pixels.withUnsafeMutableBufferPointer { out in
                        ranges.withUnsafeMutableBufferPointer { outRanges in
                            for oy in 0..<outHeight {
                                for x in 0..<width {
                                    sums[x] = 0
                                    minima[x] = .max
                                    maxima[x] = 0
                                }
                                for dy in Swift.stride(from: 0, to: factor, by: rowStep) {
                                    let row = plane + (oy * factor + dy) * stride
                                    if wideSamples {
                                        let samples = row.assumingMemoryBound(to: UInt16.self)
                                        for x in 0..<width {
                                            let v = samples[x] >> UInt16(shift)
                                            sums[x] &+= UInt32(v)
                                            minima[x] = min(minima[x], v)
                                            maxima[x] = max(maxima[x], v)
                                        }
                                    } else {
                                        let samples = row.assumingMemoryBound(to: UInt8.self)
                                        for x in 0..<width {
                                            let v = UInt16(samples[x])
                                            sums[x] &+= UInt32(v)
                                            minima[x] = min(minima[x], v)
                                            maxima[x] = max(maxima[x], v)
                                        }
                                    }
                                }
                                var x = 0
                                for ox in 0..<outWidth {
                                    var block: UInt32 = 0
                                    var low = UInt16.max, high: UInt16 = 0
                                    for _ in 0..<factor {
                                        block &+= sums[x]
                                        low = min(low, minima[x])
                                        high = max(high, maxima[x])
                                        x += 1
                                    }
                                    out[oy * outWidth + ox] = UInt8(truncatingIfNeeded: min(255, (block + area / 2) / area))
                                    outRanges[oy * outWidth + ox] = UInt8(truncatingIfNeeded: min(255, high &- min(low, high)))
                                }
                            }
                        }
                    }
                }
            }
        }
        return try? LumaThumbnail(width: outWidth, height: outHeight, pixels: pixels, fullRange: fullRange, ranges: ranges)
    }
}

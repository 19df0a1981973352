internal import CFFmpeg
import CamProbeCore
import Foundation

/// Turns a decoded frame into a ``Snapshot``: scaled by ``SnapshotScaler``, then
/// encoded in-process by libavcodec's MJPEG encoder (baseline JPEG, 4:2:0, full
/// range: what every browser and image viewer opens).
///
/// Owned by one ``KeyframeDecoder`` (so used by one thread at a time); the
/// encoder is kept while the snapshot size stays the same — a camera's pictures
/// rarely change size — and reopened when it changes.
final class SnapshotEncoder {
    /// JPEG quantiser scale (2 best … 31 worst): 5 keeps a 320×180 school
    /// corridor at 8–20 KB with the faces as blurred as the scale makes them.
    static let quantiser: Int32 = 5

    private var context: UnsafeMutablePointer<AVCodecContext>?
    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    /// The encoder refuses a picture whose pts is not above the previous one's
    /// ("Invalid pts … <= last"): each picture gets the next number.
    private var nextPTS: Int64 = 0

    init?() {
        guard let frame = av_frame_alloc() else { return nil }
        guard let packet = av_packet_alloc() else {
            var f: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&f)
            return nil
        }
        self.frame = frame
        self.packet = packet
    }

    deinit {
        avcodec_free_context(&context)
        var f: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&f)
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
    }

    /// Nil when the picture's format cannot be scaled, the encoder fails, or the
    /// JPEG comes out larger than ``Snapshot/maximumBytes``.
    func encode(_ source: UnsafePointer<AVFrame>, takenAt: Date) -> Snapshot? {
        guard let planes = SnapshotScaler.scale(source), let context = encoder(width: planes.width, height: planes.height),
              fill(planes) else { return nil }
        frame.pointee.pts = nextPTS
        nextPTS &+= 1
        frame.pointee.quality = FF_QP2LAMBDA * Self.quantiser
        guard avcodec_send_frame(context, frame) >= 0 else { return nil }
        defer { av_packet_unref(packet) }
        guard avcodec_receive_packet(context, packet) >= 0, let data = packet.pointee.data, packet.pointee.size > 0 else {
            return nil
        }
        let jpeg = Array(UnsafeBufferPointer(start: data, count: Int(packet.pointee.size)))
        return Snapshot(jpeg: jpeg, width: planes.width, height: planes.height, takenAt: takenAt)
    }

    /// The opened encoder for this size: the kept one, or a new one.
    private func encoder(width: Int, height: Int) -> UnsafeMutablePointer<AVCodecContext>? {
        if let context, Int(context.pointee.width) == width, Int(context.pointee.height) == height { return context }
        avcodec_free_context(&context)
        nextPTS = 0
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG), let made = avcodec_alloc_context3(codec) else { return nil }
        var fresh: UnsafeMutablePointer<AVCodecContext>? = made
        made.pointee.width = Int32(width)
        made.pointee.height = Int32(height)
        made.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        made.pointee.color_range = AVCOL_RANGE_JPEG
        made.pointee.time_base = AVRational(num: 1, den: 25)
        made.pointee.thread_count = 1
        // A fixed quantiser (no rate control): `frame->quality` sets it per picture.
        made.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
        made.pointee.global_quality = FF_QP2LAMBDA * Self.quantiser
        guard avcodec_open2(made, codec, nil) >= 0 else {
            avcodec_free_context(&fresh)
            return nil
        }
        context = made
        return made
    }

    /// Copies the planes into the frame's buffers (new ones when the size changed,
    /// a copy when the encoder still holds the previous ones).
    private func fill(_ planes: SnapshotScaler.Planes) -> Bool {
        if Int(frame.pointee.width) != planes.width || Int(frame.pointee.height) != planes.height || frame.pointee.buf.0 == nil {
            av_frame_unref(frame)
            frame.pointee.width = Int32(planes.width)
            frame.pointee.height = Int32(planes.height)
            frame.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
            frame.pointee.color_range = AVCOL_RANGE_JPEG
            guard av_frame_get_buffer(frame, 0) >= 0 else { return false }
        }
        guard av_frame_make_writable(frame) >= 0 else { return false }
        let sources = [(planes.luma, planes.width, planes.height), (planes.blue, planes.width / 2, planes.height / 2),
                       (planes.red, planes.width / 2, planes.height / 2)]
        let data = withUnsafeBytes(of: frame.pointee.data) { Array($0.bindMemory(to: UnsafeMutablePointer<UInt8>?.self).prefix(3)) }
        let strides = withUnsafeBytes(of: frame.pointee.linesize) { Array($0.bindMemory(to: Int32.self).prefix(3)) }
        for (index, (samples, width, height)) in sources.enumerated() {
            guard let target = data[index], Int(strides[index]) >= width else { return false }
            samples.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                for row in 0..<height {
                    (target + row * Int(strides[index])).update(from: base + row * width, count: width)
                }
            }
        }
        return true
    }
}

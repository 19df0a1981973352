internal import CFFmpeg
import CamProbeCore

/// Scales a decoded picture, whatever its planar YUV layout (4:2:0, 4:2:2, 4:4:4,
/// NV12, 8 to 16 bits, limited or full range), into a full-range 4:2:0 picture of
/// at most ``Snapshot/maximumWidth`` columns: what the JPEG encoder takes.
///
/// Each output sample averages 2×2 source samples spread over the block it
/// covers (``taps``): enough against aliasing for a thumbnail, ~350,000 reads for
/// a 1080p frame. Reads go through the pixel-format descriptor (plane, step,
/// offset, shift, depth per component) and stay inside each plane's
/// `linesize × rows`, so a format it does not know is refused, never overrun.
struct SnapshotScaler {
    /// Output planes: Y at `width`×`height`, Cb and Cr at half that.
    struct Planes {
        var width: Int
        var height: Int
        var luma: [UInt8]
        var blue: [UInt8]
        var red: [UInt8]
    }

    /// Nil for RGB, palette or bitstream formats and empty pictures.
    static func scale(_ frame: UnsafePointer<AVFrame>) -> Planes? {
        let width = Int(frame.pointee.width)
        let height = Int(frame.pointee.height)
        let format = AVPixelFormat(frame.pointee.format)
        guard let size = Snapshot.scaledSize(width: width, height: height),
              let descriptor = av_pix_fmt_desc_get(format) else { return nil }
        let flags = descriptor.pointee.flags
        let refused = UInt64(AV_PIX_FMT_FLAG_RGB) | UInt64(AV_PIX_FMT_FLAG_PAL) | UInt64(AV_PIX_FMT_FLAG_BITSTREAM)
        guard flags & refused == 0, descriptor.pointee.nb_components >= 1 else { return nil }
        let fullRange = frame.pointee.color_range == AVCOL_RANGE_JPEG
            || format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P
        let chroma = (width: size.width / 2, height: size.height / 2)
        let shiftW = Int(descriptor.pointee.log2_chroma_w), shiftH = Int(descriptor.pointee.log2_chroma_h)
        let sourceChroma = (width: (width + (1 << shiftW) - 1) >> shiftW, height: (height + (1 << shiftH) - 1) >> shiftH)
        let components = withUnsafeBytes(of: descriptor.pointee.comp) { Array($0.bindMemory(to: AVComponentDescriptor.self)) }
        guard let luma = sample(frame, components[0], source: (width, height), out: size, kind: fullRange ? .full : .luma)
        else { return nil }
        var blue = [UInt8](repeating: 128, count: chroma.width * chroma.height)
        var red = blue
        if descriptor.pointee.nb_components >= 3 {
            let kind: Kind = fullRange ? .full : .chroma
            guard let b = sample(frame, components[1], source: sourceChroma, out: chroma, kind: kind),
                  let r = sample(frame, components[2], source: sourceChroma, out: chroma, kind: kind) else { return nil }
            blue = b
            red = r
        }
        return Planes(width: size.width, height: size.height, luma: luma, blue: blue, red: red)
    }

    /// How a sample's range maps to JPEG's full range.
    enum Kind {
        case full, luma, chroma

        func convert(_ value: Int) -> UInt8 {
            let mapped = switch self {
            case .full: value
            case .luma: ((value - 16) * 255 + 109) / 219
            case .chroma: ((value - 128) * 255 + (value >= 128 ? 112 : -112)) / 224 + 128
            }
            return UInt8(clamping: mapped)
        }
    }

    /// Up to `count` positions spread evenly over `[start, end)`.
    private static func positions(_ start: Int, _ end: Int, count: Int) -> [Int] {
        let span = max(1, end - start)
        let n = min(count, span)
        return (0..<n).map { start + ($0 * span + span / 2) / n }
    }

    /// Source samples averaged per output sample and direction: 2×2 taps spread
    /// over the block an output sample covers (a 1080p frame's 6×6 block for a
    /// 320-wide snapshot). Enough against aliasing at JPEG thumbnail quality, and
    /// a quarter of the reads of 4×4 (the daemon's region sweep measured the
    /// scaler at a fifth of its CPU with 4×4).
    static let taps = 2

    private static func sample(
        _ frame: UnsafePointer<AVFrame>, _ component: AVComponentDescriptor, source: (Int, Int), out: (width: Int, height: Int),
        kind: Kind
    ) -> [UInt8]? {
        let plane = Int(component.plane)
        let depth = Int(component.depth)
        let step = Int(component.step), offset = Int(component.offset), shift = Int(component.shift)
        guard (0..<4).contains(plane), depth >= 1, depth <= 16, step >= 1, offset >= 0, out.width > 0, out.height > 0
        else { return nil }
        let wide = depth > 8
        let bytes = wide ? 2 : 1
        let base = withUnsafeBytes(of: frame.pointee.data) { $0.bindMemory(to: UnsafeMutablePointer<UInt8>?.self)[plane] }
        let stride = withUnsafeBytes(of: frame.pointee.linesize) { Int($0.bindMemory(to: Int32.self)[plane]) }
        // The last byte read: row (height-1), column (width-1).
        guard let base, stride > 0, (source.0 - 1) * step + offset + bytes <= stride else { return nil }
        // Byte offsets of each output column's taps, flat: `taps` per column
        // (a narrow source repeats its last position).
        var columns = [Int](repeating: 0, count: out.width * taps)
        for ox in 0..<out.width {
            let xs = positions(ox * source.0 / out.width, (ox + 1) * source.0 / out.width, count: taps)
            for t in 0..<taps { columns[ox * taps + t] = xs[min(t, xs.count - 1)] * step }
        }
        let down = max(0, depth - 8)
        let mask = (1 << depth) - 1
        var result = [UInt8](repeating: 0, count: out.width * out.height)
        columns.withUnsafeBufferPointer { columns in
            result.withUnsafeMutableBufferPointer { result in
                for oy in 0..<out.height {
                    let ys = positions(oy * source.1 / out.height, (oy + 1) * source.1 / out.height, count: taps)
                    let first = UnsafeRawPointer(base + min(ys[0], source.1 - 1) * stride + offset)
                    let second = UnsafeRawPointer(base + min(ys[min(1, ys.count - 1)], source.1 - 1) * stride + offset)
                    for ox in 0..<out.width {
                        var sum = 0
                        for t in 0..<taps {
                            let x = columns[ox * taps + t]
                            sum += value(first + x, wide: wide, shift: shift, mask: mask, down: down)
                            sum += value(second + x, wide: wide, shift: shift, mask: mask, down: down)
                        }
                        let count = 2 * taps
                        result[oy * out.width + ox] = kind.convert((sum + count / 2) / count)
                    }
                }
            }
        }
        return result
    }

    /// One component sample at `at`, scaled to 8 bits.
    @inline(__always)
    private static func value(_ at: UnsafeRawPointer, wide: Bool, shift: Int, mask: Int, down: Int) -> Int {
        let raw = wide ? Int(at.loadUnaligned(as: UInt16.self)) : Int(at.load(as: UInt8.self))
        return ((raw >> shift) & mask) >> down
    }
}

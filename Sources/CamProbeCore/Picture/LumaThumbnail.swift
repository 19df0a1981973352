/// A small 8-bit luma (Y) picture: one decoded keyframe's luma plane, box-averaged
/// down to roughly 160–320 pixels wide with the aspect ratio kept
/// (for example 1920×1080 → 240×135 by 8×8 block averages).
///
/// Values are limited-range BT.601/709 luma (16 = black, 235 = white) unless
/// ``fullRange`` is `true` (0 = black, 255 = white, e.g. MJPEG / `yuvj*` formats).
public struct LumaThumbnail: Sendable, Equatable {
    /// Why a ``LumaThumbnail`` could not be made.
    public enum ValidationError: Error, Sendable, Equatable {
        /// Width or height is zero or negative.
        case emptyDimensions(width: Int, height: Int)
        /// Width or height exceeds ``LumaThumbnail/maximumDimension``.
        case dimensionsTooLarge(width: Int, height: Int)
        /// `pixels.count` is not `width × height`.
        case pixelCountMismatch(expected: Int, actual: Int)
    }

    /// The largest accepted width or height: 65,535 (far above any thumbnail; the
    /// bound keeps the analysis' integer sums within range).
    public static let maximumDimension = 65_535

    /// Width in pixels (≥ 1).
    public let width: Int
    /// Height in pixels (≥ 1).
    public let height: Int
    /// Luma samples, row-major, no padding: pixel (x, y) is `pixels[y * width + x]`.
    public let pixels: [UInt8]
    /// `true` for full-range luma (0…255); `false` for limited range (16…235).
    public let fullRange: Bool
    /// For each thumbnail pixel, the range (largest minus smallest) of the source
    /// samples it averages, row-major like ``pixels``; `nil` when the thumbnail was not
    /// made from a larger picture. A picture an encoder or a recorder generated (a
    /// "NO VIDEO" screen) is exactly flat, range 0; a sensor never is: its noise leaves
    /// a range of several codes even where the scene is plain. Averaging hides that
    /// difference, the range keeps it.
    public let ranges: [UInt8]?

    /// Makes a thumbnail after checking that both dimensions are in 1…``maximumDimension``
    /// and that `pixels` (and `ranges`, if given) hold exactly `width × height` samples.
    public init(width: Int, height: Int, pixels: [UInt8], fullRange: Bool = false, ranges: [UInt8]? = nil) throws(ValidationError) {
        guard width > 0, height > 0 else {
            throw .emptyDimensions(width: width, height: height)
        }
        guard width <= Self.maximumDimension, height <= Self.maximumDimension else {
            throw .dimensionsTooLarge(width: width, height: height)
        }
        let count = width * height
        guard pixels.count == count else {
            throw .pixelCountMismatch(expected: count, actual: pixels.count)
        }
        if let ranges, ranges.count != count {
            throw .pixelCountMismatch(expected: count, actual: ranges.count)
        }
        self.width = width
        self.height = height
        self.pixels = pixels
        self.fullRange = fullRange
        self.ranges = ranges
    }

    /// The luma sample at column `x`, row `y` (both zero-based; traps when out of bounds).
    public subscript(x: Int, y: Int) -> UInt8 {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)×\(height)")
        return pixels[y * width + x]
    }

    /// The luma value of black: 16 in limited range, 0 in full range.
    public var blackLevel: UInt8 { fullRange ? 0 : 16 }

    /// The luma value of white: 235 in limited range, 255 in full range.
    public var whiteLevel: UInt8 { fullRange ? 255 : 235 }
}

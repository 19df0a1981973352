/// One comparison of a probe's picture with an earlier one: the evidence behind
/// ``PictureFlag/frozen``.
public struct PictureComparison: Sendable, Codable, Equatable {
    /// What the picture was compared with.
    public enum Reference: String, Sendable, Codable {
        /// An earlier keyframe of the same probe's window (a GOP or more earlier).
        case earlierKeyframe = "earlier_keyframe"
        /// The picture of the camera's previous probe (the daemon keeps its signature).
        case previousProbe = "previous_probe"
    }

    public var reference: Reference
    /// ``PictureSignature/difference(to:)``: mean cell difference, share of full scale (0…1).
    public var difference: Double
    /// ``PictureSignature/largestChange(to:)``: the largest cell difference, luma codes.
    public var largestChange: Int

    public init(reference: Reference, difference: Double, largestChange: Int) {
        self.reference = reference
        self.difference = difference
        self.largestChange = largestChange
    }

    /// Compares `current` with `earlier` by their signatures (what the daemon keeps of
    /// a previous probe's picture).
    public init(_ current: PictureSignature, against earlier: PictureSignature, reference: Reference) {
        self.init(
            reference: reference, difference: current.difference(to: earlier), largestChange: current.largestChange(to: earlier))
    }

    /// Side, in source pixels, of the square blocks whose means are compared when both
    /// pictures are at hand (two keyframes of one window): 16 (2×2 thumbnail pixels at
    /// 1080p, 5×5 at D1), finer than a signature cell, so a clock digit (25×35 source
    /// pixels at 1080p, 12×20 at D1) moves a block by tens of codes, while re-encoding
    /// noise, averaged over the block's samples, stays within a few. At least 2×2
    /// thumbnail pixels.
    public static let blockSourceSide = 16

    /// Compares two thumbnails of the same stream, made from pictures `sourceWidth`
    /// pixels wide: the mean difference of their signatures, and the largest change of a
    /// cell or of a ``blockSourceSide``-pixel block's mean. Thumbnails of different sizes
    /// (the stream changed resolution) are compared by their signatures.
    public init(_ current: LumaThumbnail, against earlier: LumaThumbnail, sourceWidth: Int, reference: Reference) {
        let a = PictureSignature(current), b = PictureSignature(earlier)
        guard current.width == earlier.width, current.height == earlier.height, sourceWidth > 0 else {
            self.init(a, against: b, reference: reference)
            return
        }
        let side = max(2, Self.blockSourceSide * current.width / sourceWidth)
        self.init(
            reference: reference, difference: a.difference(to: b),
            largestChange: max(a.largestChange(to: b), Self.largestBlockChange(current, earlier, side: side)))
    }

    /// The largest difference between the means of corresponding `side`×`side` blocks (luma codes).
    private static func largestBlockChange(_ current: LumaThumbnail, _ earlier: LumaThumbnail, side: Int) -> Int {
        let w = current.width, h = current.height
        let columns = w / side, rows = h / side
        guard columns > 0, rows > 0 else { return 0 }
        var largest = 0
        current.pixels.withUnsafeBufferPointer { a in
            earlier.pixels.withUnsafeBufferPointer { b in
                for row in 0..<rows {
                    for column in 0..<columns {
                        var sumA = 0, sumB = 0
                        for y in (row &* side)..<(row &* side &+ side) {
                            let start = y &* w &+ column &* side
                            for x in start..<(start &+ side) {
                                sumA &+= Int(a[x])
                                sumB &+= Int(b[x])
                            }
                        }
                        let area = side &* side
                        largest = max(largest, abs(sumA &- sumB) / area)
                    }
                }
            }
        }
        return largest
    }
}

/// A small, fixed-size fingerprint of a picture: its luma area-averaged onto a
/// 48×27 grid (1,296 cells, one byte each).
///
/// The grid is the same whatever the thumbnail's size or aspect ratio — the whole
/// picture is always mapped onto 48×27 cells — so the signature of today's probe can
/// be compared with the one stored from an earlier probe of the same camera even if
/// the stream's resolution changed (main stream vs. sub-stream, 1920×1080 vs. 704×576).
///
/// Each cell is the exact area-weighted mean of the thumbnail pixels it covers
/// (fractional pixel overlaps included), rounded to the nearest integer. A cell
/// covers 40×40 source pixels of a 1080p frame (15×21 of a D1 one): sensor and
/// compression noise vanish from it (a noisy still scene's cells differ by at most 1
/// code between two keyframes), while a change confined to one small area still moves
/// one cell by several codes: an OSD clock's seconds digit at 1080p (~25×35 pixels)
/// moves its cell by 10–30 codes. Two comparisons are kept for that reason:
/// ``difference(to:)``, the mean over all cells (global changes: exposure, motion),
/// and ``largestChange(to:)``, the largest single cell (local changes: a clock, a
/// person far away). The grid was 32×18 (cells of 60×60 source pixels) before; those
/// stored signatures no longer parse, so the first probe after an upgrade compares two
/// keyframes of its own window instead.
///
/// String form (``description``): `"48x27:"` followed by the 1,296 cells in standard
/// base64 (1,728 characters, no padding), 1,734 characters in all. `Codable` uses that
/// string.
public struct PictureSignature: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// Number of cell columns.
    public static let width = 48
    /// Number of cell rows.
    public static let height = 27
    /// Number of cells (`width × height` = 1,296).
    public static let cellCount = width * height

    private static let prefix = "48x27:"

    /// Mean luma of each cell, row-major (`cells[row * 48 + column]`), in the
    /// thumbnail's own luma range.
    public let cells: [UInt8]

    /// Makes a signature from stored cells; `nil` unless there are exactly ``cellCount`` of them.
    public init?(cells: [UInt8]) {
        guard cells.count == Self.cellCount else { return nil }
        self.cells = cells
    }

    /// Area-averages `thumbnail` onto the 48×27 grid.
    public init(_ thumbnail: LumaThumbnail) {
        let w = thumbnail.width, h = thumbnail.height
        let sw = Self.width, sh = Self.height
        // Horizontally, pixel x spans [x·sw, (x+1)·sw) and cell column i spans [i·w, (i+1)·w)
        // in a common integer unit; likewise vertically. Overlap lengths are the weights,
        // so every cell's weights sum to exactly w·h.
        let columnSegments = Self.overlaps(pixels: w, bins: sw)
        let rowSegments = Self.overlaps(pixels: h, bins: sh)
        // Vertical pass: bands[j·w + x] = Σ_y weight(y, j) · pixel(x, y). A band's weights
        // sum to h ≤ 65,535, so the sums fit in Int32 (≤ 255 · 65,535), which lets the
        // contiguous inner loop vectorise.
        var bands = [Int32](repeating: 0, count: sh * w)
        var cellSums = [Int](repeating: 0, count: sw * sh)
        thumbnail.pixels.withUnsafeBufferPointer { buffer in
            guard let px = buffer.baseAddress else { return }
            bands.withUnsafeMutableBufferPointer { bandBuffer in
                guard let bandBase = bandBuffer.baseAddress else { return }
                for s in rowSegments {
                    let source = px + s.pixel &* w, band = bandBase + s.bin &* w
                    let weight = Int32(truncatingIfNeeded: s.weight)
                    for x in 0..<w {
                        band[x] &+= weight &* Int32(truncatingIfNeeded: source[x])
                    }
                }
                // Horizontal pass: cell(i, j) = Σ_x weight(x, i) · bands[j·w + x].
                cellSums.withUnsafeMutableBufferPointer { cellsOut in
                    for j in 0..<sh {
                        let band = bandBase + j &* w
                        for s in columnSegments {
                            cellsOut[j &* sw &+ s.bin] &+= s.weight &* Int(band[s.pixel])
                        }
                    }
                }
            }
        }
        let area = w * h
        cells = cellSums.map { UInt8(truncatingIfNeeded: ($0 + area / 2) / area) }
    }

    /// Overlaps between `pixels` equal pixels and `bins` equal bins spanning the same length.
    /// Pixel p spans [p·bins, (p+1)·bins); bin b spans [b·pixels, (b+1)·pixels).
    private static func overlaps(pixels: Int, bins: Int) -> [(pixel: Int, bin: Int, weight: Int)] {
        var result: [(pixel: Int, bin: Int, weight: Int)] = []
        result.reserveCapacity(pixels + bins)
        var p = 0, b = 0, position = 0
        while p < pixels && b < bins {
            let pixelEnd = (p + 1) * bins, binEnd = (b + 1) * pixels
            let end = min(pixelEnd, binEnd)
            result.append((p, b, end - position))
            position = end
            if pixelEnd == end { p += 1 }
            if binEnd == end { b += 1 }
        }
        return result
    }

    /// Mean absolute difference between the two signatures' cells, as a share of the
    /// full 8-bit scale: 0 for identical signatures, 1 when every cell goes 0 ↔ 255.
    ///
    /// Comparable to FFmpeg freezedetect's mean absolute frame difference, but on
    /// area-averaged cells, so noise contributes far less (see
    /// ``PictureThresholds/frozenDifference``).
    public func difference(to other: PictureSignature) -> Double {
        var total = 0
        cells.withUnsafeBufferPointer { a in
            other.cells.withUnsafeBufferPointer { b in
                for i in 0..<Self.cellCount {
                    total += abs(Int(a[i]) - Int(b[i]))
                }
            }
        }
        return Double(total) / Double(Self.cellCount * 255)
    }

    /// The largest difference between two corresponding cells, in luma codes (0…255):
    /// what a change confined to one small area (an OSD clock ticking, a person far
    /// away) moves, where the mean over all cells barely moves.
    public func largestChange(to other: PictureSignature) -> Int {
        var largest = 0
        cells.withUnsafeBufferPointer { a in
            other.cells.withUnsafeBufferPointer { b in
                for i in 0..<Self.cellCount {
                    largest = max(largest, abs(Int(a[i]) - Int(b[i])))
                }
            }
        }
        return largest
    }

    /// Compact text form for storage: `"48x27:"` + base64 of the 1,296 cells.
    public var description: String {
        Self.prefix + Base64.encode(cells)
    }

    /// The form stored before the grid became 48×27: `"32x18:"` + base64 of 576 cells.
    private static let legacyPrefix = "32x18:"

    /// Parses ``description``; `nil` for anything else. A signature stored in the
    /// earlier 32×18 form is area-averaged onto the 48×27 grid, so state and reports
    /// saved before an upgrade still load; compared with a new signature it differs
    /// at the edges, which errs towards "changed", never towards "frozen".
    public init?(string: String) {
        if string.hasPrefix(Self.prefix) {
            guard let bytes = Base64.decode(string.dropFirst(Self.prefix.count)), bytes.count == Self.cellCount else { return nil }
            self.init(cells: bytes)
        } else if string.hasPrefix(Self.legacyPrefix) {
            guard let bytes = Base64.decode(string.dropFirst(Self.legacyPrefix.count)), bytes.count == 32 * 18,
                  let legacy = try? LumaThumbnail(width: 32, height: 18, pixels: bytes) else { return nil }
            self.init(legacy)
        } else {
            return nil
        }
    }

    /// Same as ``init(string:)`` (`LosslessStringConvertible`).
    public init?(_ description: String) {
        self.init(string: description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let signature = PictureSignature(string: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a 48x27 picture signature")
        }
        self = signature
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

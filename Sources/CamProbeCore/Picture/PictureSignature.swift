/// A tiny, fixed-size fingerprint of a picture: its luma area-averaged onto a
/// 32×18 grid (576 cells, one byte each).
///
/// The grid is the same whatever the thumbnail's size or aspect ratio — the whole
/// picture is always mapped onto 32×18 cells — so the signature of today's probe can
/// be compared with the one stored from an earlier probe of the same camera even if
/// the stream's resolution changed (main stream vs. sub-stream, 1920×1080 vs. 704×576).
///
/// Each cell is the exact area-weighted mean of the thumbnail pixels it covers
/// (fractional pixel overlaps included), rounded to the nearest integer. Because
/// a cell averages about 56 pixels of a 240×135 thumbnail (≈ 3,600 source pixels of a
/// 1080p frame), sensor and compression noise almost vanish from the signature, while
/// any real change of the scene's content, lighting or exposure moves it.
///
/// String form (``description``): `"32x18:"` followed by the 576 cells in standard
/// base64 (768 characters, no padding), 774 characters in all. `Codable` uses that
/// string.
public struct PictureSignature: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// Number of cell columns.
    public static let width = 32
    /// Number of cell rows.
    public static let height = 18
    /// Number of cells (`width × height` = 576).
    public static let cellCount = width * height

    private static let prefix = "32x18:"

    /// Mean luma of each cell, row-major (`cells[row * 32 + column]`), in the
    /// thumbnail's own luma range.
    public let cells: [UInt8]

    /// Makes a signature from stored cells; `nil` unless there are exactly ``cellCount`` of them.
    public init?(cells: [UInt8]) {
        guard cells.count == Self.cellCount else { return nil }
        self.cells = cells
    }

    /// Area-averages `thumbnail` onto the 32×18 grid.
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

    /// Compact text form for storage: `"32x18:"` + base64 of the 576 cells.
    public var description: String {
        Self.prefix + Base64.encode(cells)
    }

    /// Parses ``description``; `nil` for anything else.
    public init?(string: String) {
        guard string.hasPrefix(Self.prefix),
              let bytes = Base64.decode(string.dropFirst(Self.prefix.count)),
              bytes.count == Self.cellCount
        else { return nil }
        cells = bytes
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
                in: container, debugDescription: "not a 32x18 picture signature")
        }
        self = signature
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

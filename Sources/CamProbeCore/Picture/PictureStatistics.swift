/// Luma statistics of one thumbnail, enough to tell a live picture from a black,
/// uniform ("no signal"), frozen or badly blurred one (see ``PictureThresholds``).
///
/// All sums are computed in integers, so the values are exact up to the final
/// few floating-point operations and identical on every platform.
public struct PictureStatistics: Sendable, Equatable, Codable {
    /// Mean luma on the 0–255 code scale (limited-range black is 16, white 235).
    public let meanLuma: Double

    /// Population standard deviation of luma, on the same 0–255 scale.
    public let lumaSpread: Double

    /// Share (0…1) of pixels at or below the black threshold, as in FFmpeg's
    /// `blackdetect` with its default `pixel_black_th` of 0.10 of the luma range
    /// above black: ≤ 37 in limited range (16 + 0.10 × 219 = 37.9, truncated as
    /// FFmpeg does), ≤ 25 in full range (0.10 × 255 = 25.5). See ``darkLevel(fullRange:)``.
    public let darkShare: Double

    /// Contrast-normalised sharpness: the variance of the 3×3 Laplacian
    /// (kernel `0 1 0 / 1 −4 1 / 0 1 0`, over interior pixels) divided by the mean
    /// squared gradient (`(I[x+1,y] − I[x,y])²` averaged over horizontal neighbour pairs
    /// plus `(I[x,y+1] − I[x,y])²` averaged over vertical pairs).
    ///
    /// Scaling the picture's contrast by k scales both terms by k², and both grow
    /// in proportion to the number of edges, so the ratio measures how *wide* the
    /// edges are, not how strong or how many: an ideal one-pixel step edge gives 2,
    /// an edge smeared linearly over w pixels gives ≈ 2 / w. Pixel-level texture or
    /// noise gives ≈ 5 (white noise) and a one-pixel checkerboard the maximum, 8.
    /// A picture without any gradient (a constant plane, or smaller than 3×3) gives 0.
    ///
    /// Measured on the synthetic test pictures (240×135): sharp colour bars 2.05
    /// (2.05 at a quarter of the contrast too, where the raw Laplacian variance falls
    /// from 578 to 36), box-blurred 3×3 0.68, 5×5 0.41, 9×9 0.23, 15×15 0.18;
    /// a textured daylight scene 3.5, box-blurred 3×3 0.79, 5×5 0.50, 9×9 0.43; a dark
    /// night scene 2.5. Rounding the blurred picture to integer codes adds a little
    /// Laplacian energy, which is why blurred fine texture stays a bit higher.
    ///
    /// Noise raises the value (noise looks like fine detail): the 15×15-blurred bars
    /// with ±1 noise measure 0.93. A noisy defocused picture can therefore read as
    /// sharp; the measure errs towards "not blurred".
    public let sharpness: Double

    /// The raw variance of the 3×3 Laplacian (the classic "variance of Laplacian"
    /// focus measure), in luma² units. It grows with contrast and with the number of
    /// edges, so it is kept for diagnostics; ``sharpness`` is the normalised measure.
    public let laplacianVariance: Double

    /// The picture's fixed-size fingerprint, for freeze detection across probes.
    public let signature: PictureSignature

    /// Share (0…1) of the picture taken by its dominant *flat* area: pixels whose source
    /// samples are exactly flat (range ≤ ``flatRange``, see ``LumaThumbnail/ranges``) and
    /// whose level is within ±``flatLevelTolerance`` of the most common such level.
    ///
    /// A recorder's "NO VIDEO" screen is generated, so it is flat wherever its text is
    /// not: its flat share is the part of the screen the overlays leave free (the blue
    /// test screen with "NO VIDEO", a channel name and a clock: 0.9 and more). A camera
    /// sees through a sensor whose noise is never exactly flat: even a plain wall, a
    /// covered lens or a dark corridor at night measures a flat share near 0. Overlays
    /// (text, a clock) do not change the flat share of the rest, which is why this, not
    /// the spread of the whole picture, tells a no-signal screen with text.
    public let flatShare: Double

    /// The luma level of the dominant flat area (see ``flatShare``); 0 when there is none.
    public let flatLevel: Int

    /// The largest range of source samples (in luma codes) at which a thumbnail pixel
    /// counts as flat: 1, so that rounding in a decoder's inverse transform still counts
    /// as flat while a sensor's noise (σ ≥ 1 code, a range of several codes over the 6–12
    /// samples of a thumbnail pixel) does not.
    public static let flatRange: UInt8 = 1

    /// How far (in luma codes) a flat pixel's level may be from the dominant flat level
    /// and still belong to the same flat area: ±2, which keeps one flat colour together
    /// across rounding and slight shading of a generated screen.
    public static let flatLevelTolerance = 2

    /// The fraction of the luma range above black at or below which a pixel counts as
    /// dark: 0.10, FFmpeg `blackdetect`'s default `pixel_black_th`.
    public static let darkPixelFraction = 0.10

    /// The highest luma code that counts as dark: 37 in limited range, 25 in full range
    /// (computed and truncated to an integer exactly as `blackdetect` does).
    public static func darkLevel(fullRange: Bool) -> UInt8 {
        fullRange
            ? UInt8(darkPixelFraction * 255)
            : UInt8(16 + darkPixelFraction * (235 - 16))
    }

    /// Makes statistics from stored values.
    public init(
        meanLuma: Double, lumaSpread: Double, darkShare: Double,
        sharpness: Double, laplacianVariance: Double, signature: PictureSignature,
        flatShare: Double = 0, flatLevel: Int = 0
    ) {
        self.meanLuma = meanLuma
        self.lumaSpread = lumaSpread
        self.darkShare = darkShare
        self.sharpness = sharpness
        self.laplacianVariance = laplacianVariance
        self.signature = signature
        self.flatShare = flatShare
        self.flatLevel = flatLevel
    }

    private enum CodingKeys: String, CodingKey {
        case meanLuma, lumaSpread, darkShare, sharpness, laplacianVariance, signature, flatShare, flatLevel
    }

    /// Reports stored before ``flatShare`` existed decode with no flat area.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            meanLuma: try c.decode(Double.self, forKey: .meanLuma),
            lumaSpread: try c.decode(Double.self, forKey: .lumaSpread),
            darkShare: try c.decode(Double.self, forKey: .darkShare),
            sharpness: try c.decode(Double.self, forKey: .sharpness),
            laplacianVariance: try c.decode(Double.self, forKey: .laplacianVariance),
            signature: try c.decode(PictureSignature.self, forKey: .signature),
            flatShare: try c.decodeIfPresent(Double.self, forKey: .flatShare) ?? 0,
            flatLevel: try c.decodeIfPresent(Int.self, forKey: .flatLevel) ?? 0)
    }

    /// Computes the statistics of `thumbnail`.
    public init(_ thumbnail: LumaThumbnail) {
        let w = thumbnail.width, h = thumbnail.height
        let count = w * h
        let darkLevel = Int(Self.darkLevel(fullRange: thumbnail.fullRange))

        var sum = 0, squares = 0, dark = 0
        var lapSum = 0, lapSquares = 0, dxSquares = 0, dySquares = 0

        thumbnail.pixels.withUnsafeBufferPointer { buffer in
            guard let px = buffer.baseAddress else { return }
            // One sweep, row by row, in chunks short enough for 32-bit partial sums
            // (which lets the inner loops vectorise).
            for y in 0..<h {
                let row = px + y &* w
                var x0 = 0
                while x0 < w {
                    let x1 = min(w, x0 &+ chunkLength)
                    let levels = levelSums(row + x0, x1 &- x0, darkLevel: Int32(darkLevel))
                    sum &+= levels.sum
                    squares &+= levels.squares
                    dark &+= levels.dark
                    // Horizontal pairs (x, x+1) for x in x0..<x1 with x+1 < w.
                    dxSquares &+= squaredDifferences(row + (x0 &+ 1), row + x0, min(x1, w &- 1) &- x0)
                    if y &+ 1 < h {
                        dySquares &+= squaredDifferences(row + (w &+ x0), row + x0, x1 &- x0)
                    }
                    if y >= 1, y &+ 1 < h {
                        let lx0 = max(x0, 1), lx1 = min(x1, w &- 1)
                        if lx0 < lx1 {
                            let laplacian = laplacianSums(row + lx0, lx1 &- lx0, stride: w)
                            lapSum &+= laplacian.sum
                            lapSquares &+= laplacian.squares
                        }
                    }
                    x0 = x1
                }
            }
        }

        let n = Double(count)
        let mean = Double(sum) / n
        // Exact (0) for a constant plane: squares / n is then exactly mean².
        let variance = max(0, Double(squares) / n - mean * mean)

        var lapVariance = 0.0
        if w >= 3, h >= 3 {
            let n = Double((w - 2) * (h - 2))
            let lapMean = Double(lapSum) / n
            lapVariance = max(0, Double(lapSquares) / n - lapMean * lapMean)
        }
        var gradientEnergy = 0.0
        if w > 1 { gradientEnergy += Double(dxSquares) / Double(h * (w - 1)) }
        if h > 1 { gradientEnergy += Double(dySquares) / Double((h - 1) * w) }

        meanLuma = mean
        lumaSpread = nonNegativeSquareRoot(variance)
        darkShare = Double(dark) / Double(count)
        laplacianVariance = lapVariance
        sharpness = gradientEnergy > 0 ? lapVariance / gradientEnergy : 0
        signature = PictureSignature(thumbnail)
        (flatShare, flatLevel) = Self.dominantFlatArea(thumbnail)
    }

    /// ``flatShare`` and ``flatLevel`` of `thumbnail`: a histogram of the levels of its
    /// flat pixels, and the densest window of ±``flatLevelTolerance`` codes in it.
    private static func dominantFlatArea(_ thumbnail: LumaThumbnail) -> (share: Double, level: Int) {
        var histogram = [Int](repeating: 0, count: 256)
        let w = thumbnail.width, h = thumbnail.height
        histogram.withUnsafeMutableBufferPointer { counts in
            thumbnail.pixels.withUnsafeBufferPointer { px in
                if let ranges = thumbnail.ranges {
                    ranges.withUnsafeBufferPointer { r in
                        for i in 0..<px.count where r[i] <= flatRange { counts[Int(px[i])] &+= 1 }
                    }
                    return
                }
                // Made without its source: the pixel and its right and lower neighbours
                // stand in for the samples it averaged.
                guard let base = px.baseAddress, let histogramBase = counts.baseAddress else { return }
                let limit = Int32(flatRange)
                for y in 0..<h {
                    let row = base + y &* w, below = y &+ 1 < h ? row + w : row
                    for x in 0..<w {
                        let v = Int32(row[x]), right = Int32(row[x &+ 1 < w ? x &+ 1 : x]), down = Int32(below[x])
                        let a = v &- right, b = v &- down, c = right &- down
                        // |a|, |b|, |c| ≤ limit, branch-free enough for debug builds too.
                        if a &* a <= limit &* limit, b &* b <= limit &* limit, c &* c <= limit &* limit {
                            histogramBase[Int(v)] &+= 1
                        }
                    }
                }
            }
        }
        // The most common flat level, and every flat pixel within the tolerance of it.
        var mode = 0
        for level in 1...255 where histogram[level] > histogram[mode] { mode = level }
        let best = histogram[max(0, mode &- flatLevelTolerance)...min(255, mode &+ flatLevelTolerance)].reduce(0, &+)
        let bestLevel = mode
        return (Double(best) / Double(w * h), best > 0 ? bestLevel : 0)
    }
}

/// √x for x ≥ 0 (0 for x ≤ 0 or NaN), by Newton's method, correct to the last bit or so.
///
/// `Double.squareRoot()` is not used because on Linux the optimiser compiles it to
/// `sqrtsd` plus a fallback call to libm's `sqrt` for negative inputs, and this target
/// does not link libm: release builds of executables that link no libm then fail with
/// "undefined reference to 'sqrt'".
private func nonNegativeSquareRoot(_ x: Double) -> Double {
    guard x > 0 else { return 0 }
    guard x.isFinite else { return x }
    // Start above the root (within a factor of 2); Newton then decreases monotonically.
    var root = Double(sign: .plus, exponent: x.exponent / 2 + 1, significand: 1)
    for _ in 0..<64 {
        let next = 0.5 * (root + x / root)
        if next >= root { break }
        root = next
    }
    return root
}

// MARK: - Inner loops

/// Pixels per inner-loop chunk: keeps every 32-bit partial sum below 2³¹
/// (the largest, a squared Laplacian, is at most 1020² × 1024 ≈ 1.07 × 10⁹).
private let chunkLength = 1024

/// Sum, sum of squares and count of values ≤ `darkLevel` of `n` (≤ ``chunkLength``) pixels.
@inline(__always)
private func levelSums(_ p: UnsafePointer<UInt8>, _ n: Int, darkLevel: Int32) -> (sum: Int, squares: Int, dark: Int) {
    var sum: Int32 = 0, squares: Int32 = 0, dark: Int32 = 0
    for i in 0..<n {
        let v = Int32(p[i])
        sum &+= v
        squares &+= v &* v
        dark &+= ((darkLevel &- v) >> 31) &+ 1  // branch-free: 1 when v ≤ darkLevel, else 0
    }
    return (Int(sum), Int(squares), Int(dark))
}

/// Σ (a[i] − b[i])² over `n` (≤ ``chunkLength``) pixels; 0 when `n` ≤ 0.
@inline(__always)
private func squaredDifferences(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
    guard n > 0 else { return 0 }
    var total: Int32 = 0
    for i in 0..<n {
        let d = Int32(a[i]) &- Int32(b[i])
        total &+= d &* d
    }
    return Int(total)
}

/// Sum and sum of squares of the 4-neighbour Laplacian at `n` (≤ ``chunkLength``)
/// consecutive pixels starting at `p`, whose rows are `stride` pixels apart
/// (the neighbours above, below, left and right must exist).
@inline(__always)
private func laplacianSums(_ p: UnsafePointer<UInt8>, _ n: Int, stride: Int) -> (sum: Int, squares: Int) {
    let above = p - stride, below = p + stride
    var sum: Int32 = 0, squares: Int32 = 0
    for i in 0..<n {
        let lap = Int32(p[i &- 1]) &+ Int32(p[i &+ 1]) &+ Int32(above[i]) &+ Int32(below[i])
            &- 4 &* Int32(p[i])
        sum &+= lap
        squares &+= lap &* lap
    }
    return (Int(sum), Int(squares))
}

/// Luma statistics of one thumbnail, enough to tell a live picture from a black,
/// uniform ("no signal"), frozen or badly blurred one (see ``PictureThresholds``).
///
/// All sums are computed in integers, so the values are exact up to the final
/// division and are identical on every platform.
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
    /// Measured on the synthetic test pictures (240×135): sharp colour bars 1.9,
    /// the same bars box-blurred 3×3 0.69, 5×5 0.41, 9×9 0.23, 15×15 0.15;
    /// a textured scene 4.3, the same blurred 9×9 0.25.
    ///
    /// Noise raises the value (noise looks like fine detail), so a noisy defocused
    /// picture can read as sharp; the measure errs towards "not blurred".
    public let sharpness: Double

    /// The raw variance of the 3×3 Laplacian (the classic "variance of Laplacian"
    /// focus measure), in luma² units. It grows with contrast and with the number of
    /// edges, so it is kept for diagnostics; ``sharpness`` is the normalised measure.
    public let laplacianVariance: Double

    /// The picture's fixed-size fingerprint, for freeze detection across probes.
    public let signature: PictureSignature

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
        sharpness: Double, laplacianVariance: Double, signature: PictureSignature
    ) {
        self.meanLuma = meanLuma
        self.lumaSpread = lumaSpread
        self.darkShare = darkShare
        self.sharpness = sharpness
        self.laplacianVariance = laplacianVariance
        self.signature = signature
    }

    /// Computes the statistics of `thumbnail`.
    public init(_ thumbnail: LumaThumbnail) {
        let w = thumbnail.width, h = thumbnail.height
        let count = w * h
        let darkLevel = Int(Self.darkLevel(fullRange: thumbnail.fullRange))

        var mean = 0.0, variance = 0.0, dark = 0
        var lapSum = 0, lapSquares = 0, dxSquares = 0, dySquares = 0

        thumbnail.pixels.withUnsafeBufferPointer { px in
            // Histogram pass: mean, spread and dark share follow exactly from it.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { histogram in
                histogram.initialize(repeating: 0)
                for v in px { histogram[Int(v)] += 1 }
                var sum = 0
                for v in 0..<256 {
                    sum += v * histogram[v]
                    if v <= darkLevel { dark += histogram[v] }
                }
                mean = Double(sum) / Double(count)
                var squares = 0.0
                for v in 0..<256 where histogram[v] != 0 {
                    let d = Double(v) - mean
                    squares += d * d * Double(histogram[v])
                }
                variance = squares / Double(count)
            }

            // Gradient pass: squared differences of horizontal and vertical neighbours.
            for y in 0..<h {
                let row = y * w
                var previous = Int(px[row])
                for x in 1..<w {
                    let v = Int(px[row + x])
                    let d = v - previous
                    dxSquares += d * d
                    previous = v
                }
                if y + 1 < h {
                    for x in 0..<w {
                        let d = Int(px[row + w + x]) - Int(px[row + x])
                        dySquares += d * d
                    }
                }
            }

            // Laplacian pass over interior pixels.
            guard w >= 3, h >= 3 else { return }
            for y in 1..<(h - 1) {
                let row = y * w
                var left = Int(px[row]), centre = Int(px[row + 1])
                for x in 1..<(w - 1) {
                    let right = Int(px[row + x + 1])
                    let lap = left + right + Int(px[row - w + x]) + Int(px[row + w + x]) - 4 * centre
                    lapSum += lap
                    lapSquares += lap * lap
                    left = centre
                    centre = right
                }
            }
        }

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
    }
}

/// √x for x ≥ 0 (0 for x ≤ 0 or NaN), by Newton's method, correct to the last bit or so.
///
/// `Double.squareRoot()` is not used because on Linux the optimiser compiles it to
/// `sqrtsd` plus a fallback call to libm's `sqrt` for negative inputs, and this target
/// does not link libm: release builds of executables that link no libm then fail with
/// "undefined reference to 'sqrt'".
func nonNegativeSquareRoot(_ x: Double) -> Double {
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

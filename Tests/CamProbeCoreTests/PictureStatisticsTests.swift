import Foundation
import Testing
import CamProbeCore

// MARK: - Synthetic pictures (deterministic)

private func clampByte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }

/// A thumbnail whose pixel (x, y) is `value(x, y)`, rounded and clamped to 0…255.
private func makeThumbnail(
    _ width: Int, _ height: Int, fullRange: Bool = false, _ value: (Int, Int) -> Double
) -> LumaThumbnail {
    var pixels = [UInt8](repeating: 0, count: width * height)
    for y in 0..<height {
        for x in 0..<width { pixels[y * width + x] = clampByte(value(x, y)) }
    }
    return try! LumaThumbnail(width: width, height: height, pixels: pixels, fullRange: fullRange)
}

private func plane(_ value: UInt8, width: Int = 240, height: Int = 135, fullRange: Bool = false) -> LumaThumbnail {
    try! LumaThumbnail(
        width: width, height: height,
        pixels: [UInt8](repeating: value, count: width * height), fullRange: fullRange)
}

/// Adds seeded noise uniform in {−1, 0, +1} to every pixel.
private func withUnitNoise(_ t: LumaThumbnail, seed: UInt64) -> LumaThumbnail {
    var rng = SeededRandom(seed: seed)
    let pixels = t.pixels.map { clampByte(Double($0) + Double(Int(rng.next() % 3) - 1)) }
    return try! LumaThumbnail(width: t.width, height: t.height, pixels: pixels, fullRange: t.fullRange)
}

/// SMPTE-like colour bars in limited-range luma: seven 75 % bars over the top two
/// thirds, reverse castellations, then a bottom strip with −I / white / +Q / black
/// and a PLUGE. All edges are one-pixel steps.
private func colourBars(_ width: Int = 240, _ height: Int = 135, contrast: Double = 1) -> LumaThumbnail {
    let bars: [Double] = [180, 162, 131, 112, 84, 65, 35]
    let castellations: [Double] = [35, 16, 84, 16, 131, 16, 180]
    // Bottom strip: boundaries as fractions of the width.
    let bottom: [(end: Double, luma: Double)] = [
        (5.0 / 28, 61), (10.0 / 28, 235), (15.0 / 28, 50), (20.0 / 28, 16),
        (20.0 / 28 + 1.0 / 21, 9), (20.0 / 28 + 2.0 / 21, 16), (20.0 / 28 + 3.0 / 21, 23), (1, 16),
    ]
    return makeThumbnail(width, height) { x, y in
        let u = (Double(x) + 0.5) / Double(width), v = (Double(y) + 0.5) / Double(height)
        let luma: Double
        if v < 2.0 / 3 {
            luma = bars[min(6, Int(u * 7))]
        } else if v < 0.75 {
            luma = castellations[min(6, Int(u * 7))]
        } else {
            luma = bottom.first { u < $0.end }!.luma
        }
        return 110 + (luma - 110) * contrast
    }
}

/// Box blur with a k×k kernel (edges clamped), rounded once at the end.
private func boxBlurred(_ t: LumaThumbnail, kernel k: Int) -> LumaThumbnail {
    let w = t.width, h = t.height, r = k / 2
    var horizontal = [Double](repeating: 0, count: w * h)
    for y in 0..<h {
        for x in 0..<w {
            var s = 0.0
            for dx in -r...r { s += Double(t.pixels[y * w + min(w - 1, max(0, x + dx))]) }
            horizontal[y * w + x] = s / Double(k)
        }
    }
    return makeThumbnail(w, h, fullRange: t.fullRange) { x, y in
        var s = 0.0
        for dy in -r...r { s += horizontal[min(h - 1, max(0, y + dy)) * w + x] }
        return s / Double(k)
    }
}

/// Seeded value noise: random values on a lattice `cell` pixels apart, bilinearly
/// interpolated (smoothstep) between them.
private struct ValueNoise {
    let columns: Int, values: [Double], cell: Double
    init(width: Int, height: Int, cell: Double, rng: inout SeededRandom) {
        self.cell = cell
        columns = Int(Double(width) / cell) + 2
        let rows = Int(Double(height) / cell) + 2
        values = (0..<(columns * rows)).map { _ in rng.nextUnitInterval() * 2 - 1 }
    }
    func callAsFunction(_ x: Double, _ y: Double) -> Double {
        let fx = x / cell, fy = y / cell
        let ix = Int(fx), iy = Int(fy)
        func s(_ t: Double) -> Double { t * t * (3 - 2 * t) }
        let tx = s(fx - Double(ix)), ty = s(fy - Double(iy))
        let a = values[iy * columns + ix], b = values[iy * columns + ix + 1]
        let c = values[(iy + 1) * columns + ix], d = values[(iy + 1) * columns + ix + 1]
        return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty
    }
}

/// A "natural-ish" daylight scene on a canvas of `width × height`: lighting gradients,
/// value noise at two scales, sharp-edged objects and fine pixel texture, all seeded.
private func texturedScene(_ width: Int = 243, _ height: Int = 135, seed: UInt64 = 7) -> LumaThumbnail {
    var rng = SeededRandom(seed: seed)
    let coarse = ValueNoise(width: width, height: height, cell: 24, rng: &rng)
    let fine = ValueNoise(width: width, height: height, cell: 5, rng: &rng)
    let objects: [(x0: Int, y0: Int, x1: Int, y1: Int, luma: Double)] = (0..<14).map { _ in
        let x0 = Int(rng.next() % UInt64(width)), y0 = Int(rng.next() % UInt64(height))
        return (x0, y0, x0 + 6 + Int(rng.next() % 40), y0 + 4 + Int(rng.next() % 30), 30 + rng.nextUnitInterval() * 190)
    }
    var grain = [Double](repeating: 0, count: width * height)
    for i in grain.indices { grain[i] = rng.nextUnitInterval() * 12 - 6 }
    return makeThumbnail(width, height) { x, y in
        let fx = Double(x), fy = Double(y)
        var v = 70 + 60 * fx / Double(width) + 40 * fy / Double(height)
        v += 35 * coarse(fx, fy) + 12 * fine(fx, fy)
        for o in objects where x >= o.x0 && x < o.x1 && y >= o.y0 && y < o.y1 {
            v = 0.3 * v + 0.7 * o.luma
        }
        return v + grain[y * width + x]
    }
}

/// The `width`-wide window of `t` starting at column `x0`.
private func cropped(_ t: LumaThumbnail, x0: Int, width: Int) -> LumaThumbnail {
    makeThumbnail(width, t.height, fullRange: t.fullRange) { x, y in Double(t[x0 + x, y]) }
}

/// A dark but detailed night scene (mean ≈ 40): dark sky and street, building
/// facades with a few lit windows, street lights with glow, grain.
private func nightScene(_ width: Int = 240, _ height: Int = 135, seed: UInt64 = 11) -> LumaThumbnail {
    var rng = SeededRandom(seed: seed)
    let texture = ValueNoise(width: width, height: height, cell: 6, rng: &rng)
    let shading = ValueNoise(width: width, height: height, cell: 30, rng: &rng)
    let buildings: [(x0: Int, x1: Int, top: Int, luma: Double)] = [
        (0, 55, 30, 44), (60, 110, 45, 38), (118, 170, 20, 48), (176, 240, 38, 41),
    ]
    var windows: [(x0: Int, y0: Int, luma: Double)] = []
    for b in buildings {
        for wx in stride(from: b.x0 + 4, to: b.x1 - 6, by: 9) {
            for wy in stride(from: b.top + 5, to: 85, by: 11) where rng.nextUnitInterval() < 0.35 {
                windows.append((wx, wy, 70 + rng.nextUnitInterval() * 80))
            }
        }
    }
    let lamps: [(x: Double, y: Double)] = [(30, 70), (100, 72), (165, 68), (225, 71)]
    var grain = [Double](repeating: 0, count: width * height)
    for i in grain.indices { grain[i] = rng.nextUnitInterval() * 6 - 3 }
    return makeThumbnail(width, height) { x, y in
        let fx = Double(x), fy = Double(y)
        var v = 22 + 10 * fy / Double(height) + 6 * shading(fx, fy)  // sky
        if y >= 90 {
            v = 31 + 12 * texture(fx, fy) + 6 * shading(fx, fy)  // street, textured asphalt
        } else if let b = buildings.first(where: { x >= $0.x0 && x < $0.x1 && y >= $0.top }) {
            v = b.luma + 9 * texture(fx, fy)  // facade
            if windows.contains(where: { x >= $0.x0 && x < $0.x0 + 5 && y >= $0.y0 && y < $0.y0 + 6 }) {
                v = windows.first { x >= $0.x0 && x < $0.x0 + 5 && y >= $0.y0 && y < $0.y0 + 6 }!.luma
            }
        }
        for lamp in lamps {
            let d2 = (fx - lamp.x) * (fx - lamp.x) + (fy - lamp.y) * (fy - lamp.y)
            v += 190 * (1 / (1 + d2 / 4)) + 15 * (1 / (1 + d2 / 150))
        }
        return v + grain[y * width + x]
    }
}

/// Minimal 3×5 pixel font for on-screen-display text.
private let osdFont: [Character: [String]] = [
    "0": ["###", "#.#", "#.#", "#.#", "###"], "1": [".#.", "##.", ".#.", ".#.", "###"],
    "2": ["###", "..#", "###", "#..", "###"], "3": ["###", "..#", ".##", "..#", "###"],
    "4": ["#.#", "#.#", "###", "..#", "..#"], "5": ["###", "#..", "###", "..#", "###"],
    "6": ["###", "#..", "###", "#.#", "###"], "7": ["###", "..#", ".#.", ".#.", ".#."],
    "8": ["###", "#.#", "###", "#.#", "###"], "9": ["###", "#.#", "###", "..#", "###"],
    "-": ["...", "...", "###", "...", "..."], ":": ["...", ".#.", "...", ".#.", "..."],
    " ": ["...", "...", "...", "...", "..."], "C": ["###", "#..", "#..", "#..", "###"],
    "A": [".#.", "#.#", "###", "#.#", "#.#"], "M": ["#.#", "###", "###", "#.#", "#.#"],
]

/// A black (16) picture with a DVR clock at top left and a camera name at bottom right,
/// white (235) text slightly softened as the thumbnail's box average would.
private func blackWithOSD(_ width: Int = 240, _ height: Int = 135) -> LumaThumbnail {
    var lit = [Bool](repeating: false, count: width * height)
    func draw(_ text: String, x0: Int, y0: Int) {
        for (i, ch) in text.enumerated() {
            for (row, bits) in osdFont[ch]!.enumerated() {
                for (column, bit) in bits.enumerated() where bit == "#" {
                    lit[(y0 + row) * width + x0 + i * 4 + column] = true
                }
            }
        }
    }
    draw("2024-05-17 23:59:58", x0: 6, y0: 5)
    draw("CAM 01", x0: width - 30, y0: height - 10)
    return makeThumbnail(width, height) { x, y in
        // 2×2 average: stroke edges become intermediate grey, like real scaled-down text.
        var s = 0.0
        for (dx, dy) in [(0, 0), (-1, 0), (0, -1), (-1, -1)] {
            let xx = max(0, x + dx), yy = max(0, y + dy)
            s += lit[yy * width + xx] ? 235 : 16
        }
        return s / 4
    }
}

/// A continuous test pattern over the unit square, rendered at any size with 4×4
/// supersampling (the area average a real scaler would produce).
private func patternThumbnail(_ width: Int, _ height: Int) -> LumaThumbnail {
    var rng = SeededRandom(seed: 23)
    let noise = ValueNoise(width: 16, height: 9, cell: 1, rng: &rng)
    func f(_ u: Double, _ v: Double) -> Double {
        var luma = 60 + 90 * u + 40 * v + 30 * noise(u * 15, v * 8)
        if u > 0.15 && u < 0.35 && v > 0.2 && v < 0.6 { luma = 200 }
        if u > 0.6 && u < 0.9 && v > 0.55 && v < 0.85 { luma = 30 }
        let du = (u - 0.5) * 16 / 9, dv = v - 0.4
        if du * du + dv * dv < 0.01 { luma = 230 }
        return luma
    }
    return makeThumbnail(width, height) { x, y in
        var s = 0.0
        for sy in 0..<4 {
            for sx in 0..<4 {
                s += f((Double(x) + (Double(sx) + 0.5) / 4) / Double(width),
                       (Double(y) + (Double(sy) + 0.5) / 4) / Double(height))
            }
        }
        return s / 16
    }
}

@Suite struct PictureStatisticsTests {
    let thresholds = PictureThresholds()

    // MARK: - Thumbnail

    @Test func thumbnailValidatesItsDimensions() throws {
        #expect(throws: LumaThumbnail.ValidationError.pixelCountMismatch(expected: 6, actual: 5)) {
            try LumaThumbnail(width: 3, height: 2, pixels: [1, 2, 3, 4, 5])
        }
        #expect(throws: LumaThumbnail.ValidationError.emptyDimensions(width: 0, height: 2)) {
            try LumaThumbnail(width: 0, height: 2, pixels: [])
        }
        #expect(throws: LumaThumbnail.ValidationError.dimensionsTooLarge(width: 65_536, height: 2)) {
            try LumaThumbnail(width: 65_536, height: 2, pixels: [])
        }
        let t = try LumaThumbnail(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6], fullRange: true)
        #expect(t[2, 1] == 6 && t[0, 1] == 4)
        #expect(t.blackLevel == 0 && t.whiteLevel == 255)
        #expect(plane(16).blackLevel == 16)
    }

    // MARK: - Black and uniform

    @Test func darkLevelsFollowBlackdetect() {
        #expect(PictureStatistics.darkLevel(fullRange: false) == 37)
        #expect(PictureStatistics.darkLevel(fullRange: true) == 25)
        #expect(PictureStatistics(plane(37)).darkShare == 1.0)
        #expect(PictureStatistics(plane(38)).darkShare == 0.0)
        #expect(PictureStatistics(plane(25, fullRange: true)).darkShare == 1.0)
        #expect(PictureStatistics(plane(26, fullRange: true)).darkShare == 0.0)
    }

    @Test func allBlackPlaneIsBlackOnly() {
        let stats = PictureStatistics(plane(16))
        #expect(stats.meanLuma == 16.0)
        #expect(stats.lumaSpread == 0.0)
        #expect(stats.darkShare == 1.0)
        #expect(stats.sharpness == 0.0)
        #expect(stats.laplacianVariance == 0.0)
        #expect(stats.signature.cells.allSatisfy { $0 == 16 })
        // Black takes precedence over uniform, and a black picture is not also frozen.
        #expect(thresholds.assess(stats, previous: nil) == [.black])
        #expect(thresholds.assess(stats, previous: stats.signature) == [.black])
        #expect(thresholds.assess(PictureStatistics(plane(0, fullRange: true)), previous: nil) == [.black])
    }

    @Test func blueNoVideoScreenIsUniformNotBlack() {
        // DVR blue screen: RGB (0, 0, 255) → BT.601 limited Y = 16 + 219 × 0.114 ≈ 41.
        let stats = PictureStatistics(plane(41))
        #expect(stats.meanLuma == 41.0)
        #expect(stats.lumaSpread == 0.0)
        #expect(stats.darkShare == 0.0)
        #expect(thresholds.assess(stats, previous: stats.signature) == [.uniform])  // not frozen either: no detail to judge
        #expect(stats.signature.difference(to: stats.signature) == 0)
    }

    @Test func fullRangeDarkGreyIsUniformButLimitedRangeIsBlack() {
        // Code 30 is 11.8 % above full-range black but only 6.4 % above limited-range black.
        #expect(thresholds.assess(PictureStatistics(plane(30, fullRange: true)), previous: nil) == [.uniform])
        #expect(thresholds.assess(PictureStatistics(plane(30)), previous: nil) == [.black])
    }

    @Test func greyPlaneWithUnitNoiseIsUniform() {
        let stats = PictureStatistics(withUnitNoise(plane(128), seed: 1))
        #expect(abs(stats.meanLuma - 128) < 0.05)
        // Noise uniform in {−1, 0, 1}: σ = √(2/3) ≈ 0.816.
        #expect(stats.lumaSpread > 0.78 && stats.lumaSpread < 0.85)
        #expect(stats.darkShare == 0)
        #expect(thresholds.assess(stats, previous: nil) == [.uniform])
        #expect(thresholds.assess(stats, previous: stats.signature) == [.uniform])
    }

    @Test func flatBlackScreenWithClockOverlayIsNoSignalNotBlack() {
        // A recorder's black screen with its clock and channel name is generated: exactly
        // flat wherever the text is not. That is a lost signal, not a covered lens.
        let stats = PictureStatistics(blackWithOSD())
        #expect(stats.darkShare >= 0.98 && stats.darkShare < 0.995)
        #expect(stats.lumaSpread > 4)  // the overlay alone would defeat a spread-only test
        #expect(stats.flatShare > 0.95 && stats.flatLevel == 16)
        #expect(thresholds.assess(stats, previous: nil) == [.uniform])
    }

    @Test func darkNoisyCoveredLensIsBlack() throws {
        // Dark and noisy (a sensor at high gain behind a cover): never exactly flat.
        var rng = SeededRandom(seed: 5)
        let pixels = (0..<(240 * 135)).map { _ in UInt8(18 + Int(rng.next() % 7)) }
        let ranges = (0..<(240 * 135)).map { _ in UInt8(4 + Int(rng.next() % 6)) }
        let stats = PictureStatistics(try LumaThumbnail(width: 240, height: 135, pixels: pixels, ranges: ranges))
        #expect(stats.darkShare == 1)
        #expect(stats.flatShare == 0)
        #expect(thresholds.assess(stats, previous: nil) == [.black])
    }

    @Test func noVideoScreenWithLargeTextIsNoSignal() throws {
        // Blue (luma 41) with a white text block over 12 % of the screen and a clock:
        // the spread is far above 4, the flat area still dominates.
        var pixels = [UInt8](repeating: 41, count: 240 * 135)
        var ranges = [UInt8](repeating: 0, count: 240 * 135)
        for y in 55..<80 { for x in 60..<180 where (x / 3 + y / 4) % 2 == 0 { pixels[y * 240 + x] = 235; ranges[y * 240 + x] = 194 } }
        for y in 120..<130 { for x in 10..<90 where x % 4 != 0 { pixels[y * 240 + x] = 200; ranges[y * 240 + x] = 159 } }
        let stats = PictureStatistics(try LumaThumbnail(width: 240, height: 135, pixels: pixels, ranges: ranges))
        #expect(stats.lumaSpread > 20)
        #expect(stats.flatShare > 0.85 && stats.flatShare < 0.95)
        #expect(stats.flatLevel == 41)
        #expect(thresholds.assess(stats, previous: nil) == [.uniform])
    }

    @Test func plainNoisyWallIsNotNoSignal() throws {
        // A plain wall seen by a sensor: smooth shading 110→150 and noise in every sample.
        var rng = SeededRandom(seed: 9)
        var pixels = [UInt8](repeating: 0, count: 240 * 135), ranges = pixels
        for i in 0..<pixels.count {
            let shade = 110 + (i % 240) / 6
            pixels[i] = UInt8(shade + Int(rng.next() % 3))
            ranges[i] = UInt8(3 + Int(rng.next() % 5))
        }
        let stats = PictureStatistics(try LumaThumbnail(width: 240, height: 135, pixels: pixels, ranges: ranges))
        #expect(stats.flatShare == 0)
        #expect(thresholds.emptiness(stats) == nil)
    }

    @Test func darkDetailedNightSceneRaisesNoFlag() {
        let stats = PictureStatistics(nightScene())
        #expect(stats.meanLuma > 35 && stats.meanLuma < 45)
        #expect(stats.darkShare > 0.2 && stats.darkShare < 0.8)
        #expect(stats.lumaSpread > 10)
        #expect(stats.sharpness > 1)
        #expect(thresholds.assess(stats, previous: nil) == [])
    }

    // MARK: - Sharpness

    @Test func sharpColourBarsRaiseNoFlag() {
        let stats = PictureStatistics(colourBars())
        #expect(stats.sharpness > 1.5 && stats.sharpness < 2.5)
        #expect(stats.darkShare < 0.3)
        let other = PictureStatistics(texturedScene()).signature
        #expect(thresholds.assess(stats, previous: other) == [])
    }

    @Test func boxBlurredColourBarsAreBlurred() {
        let stats = PictureStatistics(boxBlurred(colourBars(), kernel: 15))
        #expect(stats.sharpness < 0.2)
        #expect(thresholds.assess(stats, previous: nil) == [.blurred])
    }

    @Test func sharpnessFallsAsBlurGrows() {
        let bars = colourBars()
        let values = [3, 5, 9, 15].map { PictureStatistics(boxBlurred(bars, kernel: $0)).sharpness }
        let sharp = PictureStatistics(bars).sharpness
        #expect(zip([sharp] + values, values).allSatisfy { $0 > $1 })
        // A 3×3 blur (edges ≈ 3 px) is tolerated; 5×5 and beyond are flagged.
        #expect(values[0] > thresholds.blurredSharpness)
        #expect(values[1] < thresholds.blurredSharpness)
    }

    @Test func sharpnessDoesNotDependOnContrast() {
        let full = PictureStatistics(colourBars())
        let low = PictureStatistics(colourBars(contrast: 0.25))
        // Raw Laplacian variance drops ~16×, the normalised sharpness barely moves.
        #expect(low.laplacianVariance < full.laplacianVariance / 10)
        #expect(abs(low.sharpness - full.sharpness) < 0.15 * full.sharpness)
        let blurredLow = PictureStatistics(boxBlurred(colourBars(contrast: 0.25), kernel: 9))
        #expect(thresholds.assess(blurredLow, previous: nil) == [.blurred])
    }

    @Test func blurredTexturedSceneIsBlurred() {
        let scene = texturedScene()
        let sharp = PictureStatistics(scene)
        let blurred = PictureStatistics(boxBlurred(scene, kernel: 9))
        #expect(sharp.sharpness > 3)
        #expect(blurred.sharpness < thresholds.blurredSharpness)
        #expect(thresholds.assess(sharp, previous: nil) == [])
        #expect(thresholds.assess(blurred, previous: nil) == [.blurred])
    }

    // MARK: - Freeze

    @Test func shiftedSceneIsNotFrozen() {
        let canvas = texturedScene()
        let a = PictureStatistics(cropped(canvas, x0: 0, width: 240))
        let b = PictureStatistics(cropped(canvas, x0: 3, width: 240))
        let difference = b.signature.difference(to: a.signature)
        #expect(difference > 5 * thresholds.frozenDifference)
        #expect(thresholds.assess(b, previous: a.signature) == [])
    }

    @Test func identicalPictureIsFrozen() {
        let scene = cropped(texturedScene(), x0: 0, width: 240)
        let stats = PictureStatistics(scene)
        #expect(stats.signature.difference(to: PictureStatistics(scene).signature) == 0)
        #expect(thresholds.assess(PictureStatistics(scene), previous: stats.signature) == [.frozen])
    }

    @Test func frozenPictureWithSensorNoiseIsStillFrozen() {
        let scene = cropped(texturedScene(), x0: 0, width: 240)
        let previous = PictureStatistics(scene).signature
        for seed: UInt64 in 1...5 {
            let stats = PictureStatistics(withUnitNoise(scene, seed: seed))
            #expect(stats.signature.difference(to: previous) <= thresholds.frozenDifference / 2)
            #expect(thresholds.assess(stats, previous: previous) == [.frozen])
        }
    }

    @Test func exposureChangeIsNotFrozen() {
        let scene = cropped(texturedScene(), x0: 0, width: 240)
        let brighter = makeThumbnail(240, 135) { x, y in Double(scene[x, y]) + 1 }
        let a = PictureStatistics(scene), b = PictureStatistics(brighter)
        #expect(b.signature.difference(to: a.signature) > thresholds.frozenDifference)
        #expect(thresholds.assess(b, previous: a.signature) == [])
    }

    // MARK: - Signature

    @Test func signatureIsAnExactAreaAverage() throws {
        // 96×54 = exactly 2×2 pixels per cell: cell = mean of its four pixels, rounded half up.
        let t = makeThumbnail(96, 54) { x, y in Double((x / 2 + y / 2 * 7) % 200 + (x % 2 == 0 && y % 2 == 0 ? 2 : 0)) }
        let signature = PictureSignature(t)
        for row in 0..<27 {
            for column in 0..<48 {
                // Four pixels: base+2, base, base, base → mean base + 0.5 → rounds up.
                #expect(signature.cells[row * 48 + column] == UInt8((column + row * 7) % 200 + 1))
            }
        }
        // Thumbnails smaller than the grid are area-averaged too (pixels span several cells).
        let tiny = PictureSignature(try LumaThumbnail(width: 2, height: 1, pixels: [20, 220]))
        #expect(tiny.cells.count == PictureSignature.cellCount)
        #expect(tiny.cells[0] == 20 && tiny.cells[23] == 20 && tiny.cells[24] == 220 && tiny.cells[1295] == 220)
        // 3 pixels over 48 columns: column 16 is all pixel 1 (90); 5 columns of 48 per 3 pixels:
        // column 15 covers [15·3, 16·3) = [45, 48) of pixel 0's [0, 48) → 0.
        #expect(PictureSignature(try LumaThumbnail(width: 3, height: 1, pixels: [0, 90, 180])).cells[16] == 90)
        #expect(PictureSignature(try LumaThumbnail(width: 3, height: 1, pixels: [0, 90, 180])).cells[15] == 0)
    }

    @Test func signatureDifferenceIsNormalisedToFullScale() throws {
        let black = try #require(PictureSignature(cells: [UInt8](repeating: 0, count: 1296)))
        let white = try #require(PictureSignature(cells: [UInt8](repeating: 255, count: 1296)))
        #expect(black.difference(to: white) == 1.0)
        #expect(white.difference(to: black) == 1.0)
        #expect(black.largestChange(to: white) == 255)
        var half = [UInt8](repeating: 0, count: 1296)
        for i in 0..<648 { half[i] = 51 }
        #expect(try #require(PictureSignature(cells: half)).difference(to: black) == 0.1)
        #expect(PictureSignature(cells: [1, 2, 3]) == nil)
        // One cell moved by 30 codes (a clock digit): the mean barely moves, the largest change does.
        var clock = [UInt8](repeating: 100, count: 1296)
        let still = try #require(PictureSignature(cells: clock))
        clock[50] = 130
        let ticked = try #require(PictureSignature(cells: clock))
        #expect(ticked.difference(to: still) < 0.0001)
        #expect(ticked.largestChange(to: still) == 30)
    }

    @Test func signatureStringRoundTrips() throws {
        let signature = PictureStatistics(cropped(texturedScene(), x0: 0, width: 240)).signature
        let text = signature.description
        #expect(text.hasPrefix("48x27:"))
        #expect(text.count == 6 + 1728)
        #expect(PictureSignature(string: text) == signature)
        #expect(PictureSignature(text) == signature)
        #expect(String(describing: signature) == text)
        let allBytes = try #require(PictureSignature(cells: (0..<1296).map { UInt8($0 % 256) }))
        #expect(PictureSignature(string: allBytes.description) == allBytes)
        // Rejections.
        #expect(PictureSignature(string: "") == nil)
        #expect(PictureSignature(string: String(text.dropFirst(6))) == nil)  // no prefix
        #expect(PictureSignature(string: "16x16:" + text.dropFirst(6)) == nil)
        #expect(PictureSignature(string: String(text.dropLast(4))) == nil)  // 1,293 bytes
        #expect(PictureSignature(string: String(text.dropLast()) + "!") == nil)
        #expect(PictureSignature(string: text + "AAAA") == nil)
    }

    @Test func legacySignatureLoadsOntoTheNewGrid() throws {
        // A 32×18 signature stored before the grid became 48×27: a left half at 40, a right half at 200.
        let legacyCells = (0..<576).map { UInt8($0 % 32 < 16 ? 40 : 200) }
        let legacy = try #require(PictureSignature(string: "32x18:" + Data(legacyCells).base64EncodedString().replacingOccurrences(of: "=", with: "")))
        #expect(legacy.cells.count == 1296)
        #expect(legacy.cells[0] == 40 && legacy.cells[23] == 40 && legacy.cells[24] == 200 && legacy.cells[47] == 200)
        #expect(legacy.description.hasPrefix("48x27:"))
        #expect(PictureSignature(string: "32x18:" + Data([UInt8](repeating: 1, count: 573)).base64EncodedString()) == nil)
    }

    @Test func statisticsAreCodable() throws {
        let stats = PictureStatistics(colourBars())
        let data = try JSONEncoder().encode(stats)
        #expect(try JSONDecoder().decode(PictureStatistics.self, from: data) == stats)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains(#""signature":"48x27:"#))

        let bad = Data(#"{"meanLuma":1,"lumaSpread":0,"darkShare":0,"sharpness":0,"laplacianVariance":0,"signature":"32x18:AAAA"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PictureStatistics.self, from: bad) }
    }

    @Test func thresholdsDecodeWithDefaultsForMissingKeys() throws {
        let decoded = try JSONDecoder().decode(PictureThresholds.self, from: Data(#"{"uniformSpread":6}"#.utf8))
        #expect(decoded == PictureThresholds(uniformSpread: 6))
        #expect(decoded.blackShare == 0.98)
        #expect(try JSONDecoder().decode(PictureThresholds.self, from: Data("{}".utf8)) == .standard)
        #expect(PictureFlag.allCases.map(\.rawValue) == ["black", "uniform", "frozen", "blurred"])
    }

    @Test func samePictureAtTwoSizesHasCloseSignatures() {
        // The same scene as a 1920×1080 stream's thumbnail and a 704×576 stream's.
        let wide = PictureStatistics(patternThumbnail(240, 135))
        let d1 = PictureStatistics(patternThumbnail(176, 144))
        let difference = wide.signature.difference(to: d1.signature)
        #expect(difference <= thresholds.frozenDifference)
        #expect(thresholds.assess(d1, previous: wide.signature) == [.frozen])
        // …while a different scene at the same size is far away.
        let other = PictureStatistics(cropped(texturedScene(), x0: 0, width: 240))
        #expect(other.signature.difference(to: wide.signature) > 0.02)
    }

    // MARK: - Performance

    @Test func statisticsAreCheap() {
        let scene = cropped(texturedScene(), x0: 0, width: 240)
        let clock = ContinuousClock()
        var sink = 0.0
        let elapsed = clock.measure {
            for _ in 0..<100 { sink += PictureStatistics(scene).sharpness }
        }
        #expect(sink > 0)
        // A loose bound (30 ms per picture) that holds even in debug builds on a busy
        // machine (alone, a debug build takes ~6 ms with the flat-area pass); release
        // builds take a few tens of microseconds. It catches an accidental quadratic
        // pass, not a slow machine: speed is measured by the benchmarks.
        #expect(elapsed < .seconds(3))
    }
}

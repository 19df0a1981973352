/// Something wrong with a camera's picture.
public enum PictureFlag: String, Sendable, Codable, CaseIterable {
    /// (Almost) all of the picture is black: FFmpeg `blackdetect`'s criterion.
    case black
    /// The picture is one flat level with no detail — a DVR's blue, black or grey
    /// "NO VIDEO" screen, a covered lens, a dead sensor. Never reported together with ``black``.
    case uniform
    /// The picture does not change at all: the stream is static (its non-key frames are
    /// empty) and the picture equals every earlier one it was compared with (an earlier
    /// keyframe of the window, the previous probe's picture). See
    /// ``PictureThresholds/frozen(comparisons:quietFrameBytesPerMegapixel:)``.
    case frozen
    /// The picture has detail but its edges are smeared: defocused, fogged or dirty lens.
    case blurred
}

/// Limits that turn ``PictureStatistics`` into ``PictureFlag``s.
///
/// `Codable` with every key optional: a missing key takes its default, so a
/// configuration file may override only some thresholds.
public struct PictureThresholds: Sendable, Equatable, Codable {
    /// The picture is ``PictureFlag/black`` when ``PictureStatistics/darkShare`` ≥ this.
    ///
    /// Default 0.98: FFmpeg `blackdetect`'s default `picture_black_ratio_th`, with its
    /// default `pixel_black_th` of 0.10 above black baked into `darkShare`. The 2 %
    /// allowance lets a DVR's clock / camera-name overlay on a black screen still count
    /// as black (the test picture with a clock and a camera name measures 0.986), while a
    /// real night scene (street lights, lit windows, textured shadows above luma 37)
    /// stays well below it (the night test scene: 0.51).
    public var blackShare: Double

    /// The picture is ``PictureFlag/uniform`` when ``PictureStatistics/lumaSpread`` ≤ this
    /// (on the 0–255 code scale).
    ///
    /// Default 4.0 (≈ 1.8 % of the 219-code limited range). A generated NO VIDEO screen
    /// has spread 0; sensor and compression noise, already divided by ~8 by the
    /// thumbnail's 8×8 box average, leaves well under 1 (a flat plane with ±1 noise
    /// measures 0.82); a covered lens with slight vignetting stays within a few codes.
    /// Any real scene, even at night or in fog, has lighting and objects spreading its
    /// luma over tens of codes (the dark night test scene measures 21, colour bars 62).
    /// A NO VIDEO screen with text on it exceeds 4: ``noSignalFlatShare`` catches it.
    public var uniformSpread: Double

    /// The picture is a generated screen (``PictureFlag/uniform``, "no signal") when its
    /// dominant flat area (``PictureStatistics/flatShare``) covers at least this share.
    ///
    /// Default 0.6: a recorder's NO VIDEO / VIDEO LOSS screen with its channel name and
    /// clock leaves 0.85–0.97 of the picture exactly flat (the scene fixtures
    /// `nosignal_blue_d1`, `nosignal_black_d1`, `nosignal_grey_1080p`), a camera's picture
    /// 0.00–0.05 even when it shows a plain wall, a covered lens or a night corridor
    /// (sensor noise is never exactly flat). A camera blinded by light (a blown-out,
    /// clipped picture over most of the frame) is flat too, and is reported as no
    /// signal: it shows nothing either.
    public var noSignalFlatShare: Double

    /// Two pictures are *unchanged* only if their signatures'
    /// ``PictureSignature/difference(to:)`` (mean over all cells, share of full scale)
    /// is ≤ this …
    ///
    /// Default 0.002 (a mean of ≈ 0.5 luma code per cell). FFmpeg `freezedetect` uses
    /// 0.001 on full frames, where each pixel's noise counts; a cell averages ~1,600
    /// source pixels of a 1080p frame, so noise vanishes from it. This catches global
    /// changes: an exposure change of 1 code measures 0.0039, the scene moved by 1 pixel
    /// 0.0045. A change confined to a small area is diluted by the mean:
    /// ``frozenChange`` is the check for that.
    public var frozenDifference: Double

    /// … and no cell or block changed by more than this many luma codes
    /// (``PictureComparison/largestChange``: signature cells across probes, and also
    /// 16-source-pixel blocks between two keyframes of one window).
    ///
    /// Default 12. Measured on the scene fixtures between two keyframes of a window: an
    /// OSD clock ticking moves a block by 41–47 codes (`still_osd_1080p`); a hung camera's
    /// encoder re-quantising the same frame (a CBR keyframe every 2 s, each at its own
    /// quantiser) by 5–7 at 1080p (`frozen_1080p`, `frozen_osd_1080p`) and 5–8 at D1
    /// (`frozen_d1`). Across probes a signature cell (40×40 source pixels at 1080p) moves by
    /// about 13 for a clock; when it moves less, the earlier keyframe of the window is
    /// decoded and its blocks decide.
    public var frozenChange: Double

    /// The stream is *static* (an encoder fed the same frame again and again) when the
    /// median size of its non-key frames is at most this many bytes per megapixel.
    ///
    /// Default 150 B/Mpx (311 bytes per frame at 1080p, 61 at D1). A hung camera's
    /// encoder codes every macroblock as skipped: the `frozen_1080p` fixture measures
    /// 9–25 B/Mpx. A live still scene is never empty: sensor noise costs the encoder
    /// thousands of bytes per frame (`still_noise_1080p`: ~2,900 B/Mpx, `night_ir_1080p`
    /// more). A denoised still scene with an OSD clock is static between clock ticks;
    /// there the keyframe comparison (the clock) tells it from a frozen one. Frozen
    /// needs both: a static stream and unchanged pictures.
    public var staticFrameBytes: Double

    /// The picture is ``PictureFlag/blurred`` when ``PictureStatistics/sharpness`` < this.
    ///
    /// Default 0.5, i.e. edges smeared over ≳ 4 thumbnail pixels (≈ 32 source pixels
    /// at 1080p; sharpness ≈ 2 / edge width). Measured on the test pictures: sharp
    /// pictures 1.3–3.5 (bars 2.05, textured scene 3.5, night scene 2.5, a supersampled
    /// pattern 1.3–1.9); box-blurred 5×5 0.41 (bars) and 0.50 (texture, borderline);
    /// 9×9 0.23 and 0.43; 15×15 bars 0.18. A 3×3 blur (0.68–0.79) is not flagged.
    /// A sharp source edge straddling the thumbnail's 8×8 blocks becomes at most
    /// 2 pixels wide (sharpness ≈ 1 or more), so focused pictures keep a margin of 2×.
    /// A focused picture whose contrast is mostly smooth shading with few edges (fog,
    /// a bare wall) can still read low.
    public var blurredSharpness: Double

    /// Thresholds with the documented defaults unless overridden.
    public init(
        blackShare: Double = 0.98,
        uniformSpread: Double = 4.0,
        noSignalFlatShare: Double = 0.6,
        frozenDifference: Double = 0.002,
        frozenChange: Double = 12,
        staticFrameBytes: Double = 150,
        blurredSharpness: Double = 0.5
    ) {
        self.blackShare = blackShare
        self.uniformSpread = uniformSpread
        self.noSignalFlatShare = noSignalFlatShare
        self.frozenDifference = frozenDifference
        self.frozenChange = frozenChange
        self.staticFrameBytes = staticFrameBytes
        self.blurredSharpness = blurredSharpness
    }

    /// The defaults.
    public static let standard = PictureThresholds()

    private enum CodingKeys: String, CodingKey {
        case blackShare, uniformSpread, noSignalFlatShare, frozenDifference, frozenChange, staticFrameBytes, blurredSharpness
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PictureThresholds()
        self.init(
            blackShare: try c.decodeIfPresent(Double.self, forKey: .blackShare) ?? d.blackShare,
            uniformSpread: try c.decodeIfPresent(Double.self, forKey: .uniformSpread) ?? d.uniformSpread,
            noSignalFlatShare: try c.decodeIfPresent(Double.self, forKey: .noSignalFlatShare) ?? d.noSignalFlatShare,
            frozenDifference: try c.decodeIfPresent(Double.self, forKey: .frozenDifference) ?? d.frozenDifference,
            frozenChange: try c.decodeIfPresent(Double.self, forKey: .frozenChange) ?? d.frozenChange,
            staticFrameBytes: try c.decodeIfPresent(Double.self, forKey: .staticFrameBytes) ?? d.staticFrameBytes,
            blurredSharpness: try c.decodeIfPresent(Double.self, forKey: .blurredSharpness) ?? d.blurredSharpness
        )
    }

    /// Share of the picture an overlay must cover on a flat black screen before the
    /// screen counts as a recorder's (no signal) rather than black: 0.2 %, a few
    /// characters of text. A black picture with nothing on it stays ``PictureFlag/black``.
    public static let overlayShare = 0.002

    /// Whether the picture shows nothing at all, before any comparison: black, or a
    /// generated no-signal screen (``PictureFlag/uniform``); `nil` for a picture with content.
    ///
    /// - Black (``blackShare`` of dark pixels) is black, unless it is an exactly flat
    ///   screen with something drawn on it (``noSignalFlatShare``, ``overlayShare``):
    ///   a recorder's black VIDEO LOSS screen with its text is "no signal", a covered
    ///   lens (dark, but noisy) is black.
    /// - A dominant flat area (``noSignalFlatShare``) or a featureless picture
    ///   (``uniformSpread``) is "no signal".
    public func emptiness(_ stats: PictureStatistics) -> PictureFlag? {
        let generated = stats.flatShare >= noSignalFlatShare
        if stats.darkShare >= blackShare {
            return generated && stats.darkShare <= 1 - Self.overlayShare ? .uniform : .black
        }
        if generated || stats.lumaSpread <= uniformSpread { return .uniform }
        return nil
    }

    /// Whether `comparison`'s two pictures are the same picture: neither the mean nor the
    /// largest cell moved beyond its threshold.
    public func unchanged(_ comparison: PictureComparison) -> Bool {
        comparison.difference <= frozenDifference && Double(comparison.largestChange) <= frozenChange
    }

    /// Whether a stream whose non-key frames have a median of `quietFrameBytesPerMegapixel`
    /// is static; `nil` (unknown) when the window held no non-key frame.
    public func isStatic(quietFrameBytesPerMegapixel density: Double?) -> Bool? {
        density.map { $0 <= staticFrameBytes }
    }

    /// Frozen: the stream is static and the picture is the same as every picture it was
    /// compared with (at least one). Without non-key frames to judge (an intra-only
    /// stream) the pictures alone decide.
    ///
    /// In a static stream only local changes count (``frozenChange``): a global difference
    /// between two keyframes of a stream whose non-key frames are empty can only be the
    /// encoder quantising the same frame differently (a hung D1 camera's keyframes differ
    /// by 0.004 on average), since a live change would have filled the non-key frames.
    public func frozen(comparisons: [PictureComparison], quietFrameBytesPerMegapixel density: Double?) -> Bool {
        guard !comparisons.isEmpty else { return false }
        switch isStatic(quietFrameBytesPerMegapixel: density) {
        case false?:
            return false
        case true?:
            return comparisons.allSatisfy { Double($0.largestChange) <= frozenChange }
        case nil:
            return comparisons.allSatisfy(unchanged)
        }
    }

    /// The flags that `stats` raises, in ``PictureFlag/allCases`` order.
    ///
    /// - ``emptiness(_:)`` first: a black or no-signal picture has no detail to judge,
    ///   so it is never also ``PictureFlag/frozen`` or ``PictureFlag/blurred``.
    /// - ``PictureFlag/frozen`` per ``frozen(comparisons:quietFrameBytesPerMegapixel:)``.
    public func assess(
        _ stats: PictureStatistics, comparisons: [PictureComparison], quietFrameBytesPerMegapixel density: Double?
    ) -> [PictureFlag] {
        if let empty = emptiness(stats) { return [empty] }
        var flags: [PictureFlag] = []
        if frozen(comparisons: comparisons, quietFrameBytesPerMegapixel: density) { flags.append(.frozen) }
        if stats.sharpness < blurredSharpness { flags.append(.blurred) }
        return flags
    }
}

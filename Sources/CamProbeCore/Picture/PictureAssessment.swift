/// Something wrong with a camera's picture.
public enum PictureFlag: String, Sendable, Codable, CaseIterable {
    /// (Almost) all of the picture is black: FFmpeg `blackdetect`'s criterion.
    case black
    /// The picture is one flat level with no detail — a DVR's blue, black or grey
    /// "NO VIDEO" screen, a covered lens, a dead sensor. Never reported together with ``black``.
    case uniform
    /// The picture has not changed since the previous probe's signature.
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
    /// A NO VIDEO screen with large text on it can exceed 4 and is then not caught.
    public var uniformSpread: Double

    /// The picture is ``PictureFlag/frozen`` when its signature's
    /// ``PictureSignature/difference(to:)`` from the previous probe's is ≤ this.
    ///
    /// Default 0.002 (a mean of ≈ 0.5 luma code per signature cell). FFmpeg
    /// `freezedetect` uses 0.001 on full frames, where each pixel's noise counts; a
    /// signature cell averages ~56 thumbnail pixels, so noise on a frozen picture
    /// nearly vanishes: a frozen picture with ±1 noise added to every thumbnail
    /// pixel differs by 0.0003–0.0004 (only from cells rounding the other way), and the
    /// same picture thumbnailed at 176×144 instead of 240×135 by 0.0008. Live changes
    /// measured larger: a global exposure change of 1 code 0.0039, the scene moved by
    /// 1 pixel 0.0045, by 3 pixels 0.014. A change confined to a small area (a clock overlay,
    /// one person far away) is diluted by the mean and can stay under the threshold:
    /// a static live scene cannot be told from a frozen one by one comparison, so
    /// callers should require several consecutive frozen probes before alarming.
    public var frozenDifference: Double

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
        frozenDifference: Double = 0.002,
        blurredSharpness: Double = 0.5
    ) {
        self.blackShare = blackShare
        self.uniformSpread = uniformSpread
        self.frozenDifference = frozenDifference
        self.blurredSharpness = blurredSharpness
    }

    /// The defaults.
    public static let standard = PictureThresholds()

    private enum CodingKeys: String, CodingKey {
        case blackShare, uniformSpread, frozenDifference, blurredSharpness
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PictureThresholds()
        self.init(
            blackShare: try c.decodeIfPresent(Double.self, forKey: .blackShare) ?? d.blackShare,
            uniformSpread: try c.decodeIfPresent(Double.self, forKey: .uniformSpread) ?? d.uniformSpread,
            frozenDifference: try c.decodeIfPresent(Double.self, forKey: .frozenDifference) ?? d.frozenDifference,
            blurredSharpness: try c.decodeIfPresent(Double.self, forKey: .blurredSharpness) ?? d.blurredSharpness
        )
    }

    /// The flags that `stats` raises, in ``PictureFlag/allCases`` order.
    ///
    /// - ``PictureFlag/black`` takes precedence: a black picture is not also uniform.
    /// - A black or uniform picture has no detail to judge, so it is never also
    ///   ``PictureFlag/frozen`` or ``PictureFlag/blurred``.
    /// - ``PictureFlag/frozen`` needs the `previous` probe's signature.
    public func assess(_ stats: PictureStatistics, previous: PictureSignature?) -> [PictureFlag] {
        if stats.darkShare >= blackShare { return [.black] }
        if stats.lumaSpread <= uniformSpread { return [.uniform] }
        var flags: [PictureFlag] = []
        if let previous, stats.signature.difference(to: previous) <= frozenDifference {
            flags.append(.frozen)
        }
        if stats.sharpness < blurredSharpness { flags.append(.blurred) }
        return flags
    }
}

/// The verdict on one probe's picture.
public struct PictureAssessment: Sendable, Equatable, Codable {
    /// The statistics the verdict is based on (their ``PictureStatistics/signature``
    /// is what to store for the next probe).
    public let statistics: PictureStatistics
    /// Raised flags, in ``PictureFlag/allCases`` order; empty for a good picture.
    public let flags: [PictureFlag]
    /// ``PictureSignature/difference(to:)`` from the previous signature, or `nil` without one.
    public let signatureDifference: Double?

    /// Assesses already computed statistics.
    public init(statistics: PictureStatistics, previous: PictureSignature?, thresholds: PictureThresholds = .standard) {
        self.statistics = statistics
        self.flags = thresholds.assess(statistics, previous: previous)
        self.signatureDifference = previous.map { statistics.signature.difference(to: $0) }
    }

    /// Computes the statistics of `thumbnail` and assesses them.
    public init(_ thumbnail: LumaThumbnail, previous: PictureSignature?, thresholds: PictureThresholds = .standard) {
        self.init(statistics: PictureStatistics(thumbnail), previous: previous, thresholds: thresholds)
    }

    /// `true` when the picture is neither black, uniform nor frozen (a blurred
    /// picture is alive, only degraded).
    public var isAlive: Bool {
        !flags.contains(.black) && !flags.contains(.uniform) && !flags.contains(.frozen)
    }

    /// Whether `flag` was raised.
    public func contains(_ flag: PictureFlag) -> Bool { flags.contains(flag) }
}

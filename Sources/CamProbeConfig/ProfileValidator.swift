import CamProbeCore

/// Thresholds that cannot work: a zero interval, a frame rate that fails a
/// camera before it could be warned, a share outside 0…1.
///
/// Checks a whole (resolved) profile, and says which key each problem belongs
/// to. Given the keys a profile or a camera's overrides actually wrote, it
/// reports only problems involving one of them: a value inherited from a
/// parent profile is reported once, where the parent wrote it.
enum ProfileValidator {
    struct Problem: Equatable {
        /// Snake-case key, `picture.black_share` for nested ones.
        let key: String
        let message: String
    }

    private struct Rule {
        let keys: [String]
        let message: String?
    }

    static func problems(_ p: PolicyProfile, writtenKeys: Set<String>? = nil) -> [Problem] {
        func positive(_ key: String, _ value: Double) -> Rule {
            Rule(keys: [key], message: value > 0 ? nil : "\(key) must be more than 0 (got \(value.numberText))")
        }
        func within(_ key: String, _ value: Double, _ range: ClosedRange<Double>, _ unit: String = "") -> Rule {
            let message = "\(key) must be from \(range.lowerBound.numberText) to \(range.upperBound.numberText)\(unit) (got \(value.numberText))"
            return Rule(keys: ["picture." + key], message: range.contains(value) ? nil : message)
        }
        let picture = p.picture
        let rules = [
            Rule(keys: ["codecs"], message: p.codecs.isEmpty ? "codecs must list at least one codec" : nil),
            positive("min_width", Double(p.minWidth)),
            positive("min_height", Double(p.minHeight)),
            positive("min_frame_rate", p.minFrameRate),
            positive("warn_frame_rate", p.warnFrameRate),
            Rule(
                keys: ["min_frame_rate", "warn_frame_rate"],
                message: p.minFrameRate > 0 && p.minFrameRate > p.warnFrameRate
                    ? "min_frame_rate (\(p.minFrameRate.numberText)) is above warn_frame_rate (\(p.warnFrameRate.numberText)): a camera would fail before it is warned"
                    : nil),
            positive("max_keyframe_interval", p.maxKeyframeInterval),
            Rule(keys: ["min_bitrate"], message: p.minBitrate >= 0 ? nil : "min_bitrate must not be negative (got \(p.minBitrate.numberText))"),
            positive("warn_clock_skew", p.warnClockSkew),
            positive("max_clock_skew", p.maxClockSkew),
            Rule(
                keys: ["warn_clock_skew", "max_clock_skew"],
                message: p.warnClockSkew > 0 && p.warnClockSkew > p.maxClockSkew
                    ? "warn_clock_skew (\(p.warnClockSkew.numberText)) is above max_clock_skew (\(p.maxClockSkew.numberText)): a clock would fail before it is warned"
                    : nil),
            within("black_share", picture.blackShare, 0...1),
            within("uniform_spread", picture.uniformSpread, 0...255, " luma codes"),
            within("no_signal_flat_share", picture.noSignalFlatShare, 0...1),
            within("frozen_difference", picture.frozenDifference, 0...1),
            within("frozen_change", picture.frozenChange, 0...255, " luma codes"),
            Rule(
                keys: ["picture.static_frame_bytes"],
                message: picture.staticFrameBytes >= 0 ? nil : "static_frame_bytes must not be negative (got \(picture.staticFrameBytes.numberText))"),
            Rule(
                keys: ["picture.blurred_sharpness"],
                message: picture.blurredSharpness >= 0 ? nil : "blurred_sharpness must not be negative (got \(picture.blurredSharpness.numberText))"),
            positive("interval", p.interval),
            positive("min_archive_days", p.archive.minDays),
            positive("max_archive_gap", p.archive.maxGap),
            positive("max_archive_clock_offset", p.archive.maxClockOffset),
        ]
        return rules.compactMap { rule in
            guard let message = rule.message else { return nil }
            guard let writtenKeys else { return Problem(key: rule.keys[0], message: message) }
            guard let key = rule.keys.first(where: writtenKeys.contains) else { return nil }
            return Problem(key: key, message: message)
        }
    }
}

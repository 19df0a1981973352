/// Judges one camera against its ``PolicyProfile``: the policy layer above the probe's
/// own ``ProbeReport/status``.
///
/// - **Liveness.** The camera works when at least one probed stream works. When every
///   probed stream failed it is down, with each stream's failure as a reason.
/// - **Main failed, sub works.** The camera is reachable and shows a picture, but the
///   stream the archive records and compliance is judged on is broken: the main stream's
///   failure is a *violation* (degraded), not a failure. Only the sub-stream failing is
///   a *warning*: the main stream is what counts.
/// - **Picture** (black, uniform, frozen, blurred) is judged on the sub-stream's picture
///   when the sub-stream was probed and decoded, else on the main stream's. Black,
///   uniform ("no signal") and frozen are failures: a stream that runs but shows
///   nothing does not work. Blurred is a violation. Each only when its check is
///   enabled. The picture is re-judged from its statistics with the profile's
///   thresholds (the prober applies one set to every camera); `frozen` is re-judged
///   when the probe compared two keyframes of its own window, and otherwise taken from
///   the prober's flag (a comparison with the previous probe's picture). A black or
///   uniform picture has no detail, so it is never also frozen or blurred.
/// - **Compliance** (codec, resolution, frame rate, keyframe interval, bitrate) is
///   judged on the main stream only, and only on what was measured: a missing
///   measurement is never a violation. A keyframe interval the window was too short
///   for is noted as `keyframe_interval.unmeasured` (info).
/// - **Clock skew** comes from the main stream, else from the sub-stream (one camera,
///   one clock). **Gaps** are reported for every working stream.
/// - **Analog** cameras are noted (info) when the profile flags them.
///
/// The state is down if any reason is a failure, else degraded if any is a violation,
/// else up. Frozen pictures and outages are judged on one round of probes; grace
/// periods (N bad probes before alerting) belong to the daemon's state machine.
public struct PolicyEvaluator: Sendable {
    /// The profile with the camera's overrides applied.
    public let profile: PolicyProfile
    /// Whether the camera is flagged `camera.analog`.
    public let isAnalog: Bool

    /// Measured rates and intervals cross a limit only when they are more than this
    /// share beyond it, so timestamp rounding raises nothing (a 25 fps camera measured
    /// at 24.8 fps is not "below 25", a 4 s GOP measured at 4.04 s is not "over 4 s").
    public static let tolerance = 0.02

    /// `camera`'s overrides are applied to `profile`. Without a camera (a one-off probe)
    /// the profile is used as it is, and `flagAnalog` marks every camera analog.
    public init(profile: PolicyProfile, camera: Camera? = nil) {
        self.profile = camera.map { $0.overrides.applied(to: profile) } ?? profile
        self.isAnalog = profile.flagAnalog && camera?.kind != .digital
    }

    /// The verdict on the probes of one camera's main stream and, if it was probed,
    /// its sub-stream.
    public func evaluate(main: ProbeReport, sub: ProbeReport? = nil) -> Verdict {
        // Streams are named on reasons only when there are two to tell apart.
        let named: (StreamRole) -> StreamRole? = { sub == nil ? nil : $0 }
        let mainWorks = main.failure == nil
        let subWorks = sub.map { $0.failure == nil } ?? false
        var reasons: [Reason?] = []

        if let failure = main.failure {
            reasons.append(failureReason(failure, severity: subWorks ? .violation : .failure, stream: named(.main)))
        }
        if let failure = sub?.failure {
            reasons.append(failureReason(failure, severity: mainWorks ? .warning : .failure, stream: .sub))
        }
        if subWorks, let picture = sub?.picture {
            reasons += pictureReasons(picture, video: sub?.video, stream: .sub)
        } else if mainWorks, let picture = main.picture {
            reasons += pictureReasons(picture, video: main.video, stream: named(.main))
        }
        if mainWorks, let video = main.video {
            reasons += complianceReasons(video, stream: named(.main))
            reasons.append(gapsReason(video.timing, stream: named(.main)))
        }
        if subWorks, let video = sub?.video {
            reasons.append(gapsReason(video.timing, stream: .sub))
        }
        if mainWorks, let skew = main.clockSkew {
            reasons.append(clockReason(skew, stream: named(.main)))
        } else if subWorks, let skew = sub?.clockSkew {
            reasons.append(clockReason(skew, stream: .sub))
        }
        if isAnalog {
            reasons.append(Reason(
                code: .cameraAnalog, severity: .info, measured: "analog camera", expected: "digital camera"))
        }
        return Verdict(reasons: reasons.compactMap { $0 })
    }

    // MARK: Liveness

    private func failureReason(_ failure: ProbeFailure, severity: Severity, stream: StreamRole?) -> Reason {
        var parameters = ["message": failure.message]
        parameters["phase"] = failure.phase?.rawValue
        return Reason(
            code: ReasonCode(failure), severity: severity, stream: stream, measured: failure.message,
            parameters: parameters)
    }

    // MARK: Picture

    private func pictureReasons(_ picture: PictureReport, video: VideoMeasurement?, stream: StreamRole?) -> [Reason] {
        let limits = profile.picture
        let stats = picture.statistics
        switch limits.emptiness(stats) {
        case .black:
            guard profile.checkBlack else { return [] }
            return [Reason(
                code: .pictureBlack, severity: .failure, stream: stream,
                measured: "dark \(Self.percent(stats.darkShare))", expected: "dark < \(Self.percent(limits.blackShare))",
                parameters: ["dark_share": "\(stats.darkShare)", "limit": "\(limits.blackShare)"])]
        case .uniform:
            guard profile.checkUniform else { return [] }
            let flat = stats.flatShare >= limits.noSignalFlatShare
            return [Reason(
                code: .pictureUniform, severity: .failure, stream: stream,
                measured: flat
                    ? "flat \(Self.percent(stats.flatShare)) at luma \(stats.flatLevel)"
                    : "luma spread \(Self.decimal(stats.lumaSpread, 1)), mean \(Self.decimal(stats.meanLuma, 0))",
                expected: flat
                    ? "flat < \(Self.percent(limits.noSignalFlatShare))"
                    : "luma spread > \(Self.decimal(limits.uniformSpread, 1))",
                parameters: [
                    "luma_spread": "\(stats.lumaSpread)", "mean_luma": "\(stats.meanLuma)",
                    "flat_share": "\(stats.flatShare)", "flat_level": "\(stats.flatLevel)",
                    "limit": flat ? "\(limits.noSignalFlatShare)" : "\(limits.uniformSpread)",
                ])]
        default:
            break
        }
        var reasons: [Reason] = []
        if profile.checkFrozen, let frozen = frozenReason(picture, video: video, stream: stream) {
            reasons.append(frozen)
        }
        if profile.checkBlurred, stats.sharpness < limits.blurredSharpness {
            reasons.append(Reason(
                code: .pictureBlurred, severity: .violation, stream: stream,
                measured: "sharpness \(Self.decimal(stats.sharpness, 2))",
                expected: "sharpness ≥ \(Self.decimal(limits.blurredSharpness, 2))",
                parameters: ["sharpness": "\(stats.sharpness)", "limit": "\(limits.blurredSharpness)"]))
        }
        return reasons
    }

    /// Frozen, re-judged with the profile's thresholds from the evidence the probe
    /// recorded: every comparison unchanged and the stream static. A report without
    /// comparisons (stored before they were recorded) keeps the prober's flag.
    private func frozenReason(_ picture: PictureReport, video: VideoMeasurement?, stream: StreamRole?) -> Reason? {
        let limits = profile.picture
        let expected = "difference > \(Self.decimal(limits.frozenDifference, 4)) or a cell changed by > \(Self.decimal(limits.frozenChange, 0))"
        let density = video?.quietFrameBytesPerMegapixel
        guard !picture.comparisons.isEmpty else {
            guard picture.flags.contains(.frozen) else { return nil }
            return Reason(
                code: .pictureFrozen, severity: .failure, stream: stream,
                measured: "unchanged since the previous probe", expected: expected,
                parameters: ["limit": "\(limits.frozenDifference)"])
        }
        guard limits.frozen(comparisons: picture.comparisons, quietFrameBytesPerMegapixel: density) else { return nil }
        let nearest = picture.comparisons.max { $0.largestChange < $1.largestChange } ?? picture.comparisons[0]
        let against = picture.comparisons.map {
            $0.reference == .earlierKeyframe ? "an earlier keyframe" : "the previous probe"
        }.joined(separator: " and ")
        var measured = "unchanged since \(against) (largest change \(nearest.largestChange))"
        if let density { measured += ", non-key frames \(Self.decimal(density, 0)) B/Mpx" }
        var parameters = [
            "difference": "\(nearest.difference)", "largest_change": "\(nearest.largestChange)",
            "limit": "\(limits.frozenDifference)", "change_limit": "\(limits.frozenChange)",
            "compared_with": picture.comparisons.map(\.reference.rawValue).joined(separator: ","),
        ]
        if let density { parameters["delta_frame_bytes_per_mpx"] = "\(density)" }
        return Reason(
            code: .pictureFrozen, severity: .failure, stream: stream, measured: measured, expected: expected,
            parameters: parameters)
    }

    // MARK: Compliance (main stream)

    private func complianceReasons(_ video: VideoMeasurement, stream: StreamRole?) -> [Reason] {
        [
            codecReason(video.codec, stream: stream),
            resolutionReason(width: video.width, height: video.height, stream: stream),
            frameRateReason(video.timing.frameRate, stream: stream),
            keyframeReason(video.timing, stream: stream),
            bitrateReason(video.timing.bitrate, stream: stream),
        ].compactMap { $0 }
    }

    private func codecReason(_ codec: String, stream: StreamRole?) -> Reason? {
        let allowed = profile.codecs.map(CodecName.normalized)
        guard !allowed.contains(CodecName.normalized(codec)) else { return nil }
        return Reason(
            code: .codecNotAllowed, severity: .violation, stream: stream,
            measured: CodecName.display(codec), expected: allowed.map(CodecName.display).joined(separator: " / "),
            parameters: ["codec": codec, "allowed": allowed.joined(separator: ",")])
    }

    /// Compared regardless of orientation: a camera in corridor mode (1080×1920)
    /// meets a 1920×1080 minimum.
    private func resolutionReason(width: Int?, height: Int?, stream: StreamRole?) -> Reason? {
        guard let width, let height else { return nil }
        let minWidth = profile.minWidth, minHeight = profile.minHeight
        guard max(width, height) < max(minWidth, minHeight) || min(width, height) < min(minWidth, minHeight)
        else { return nil }
        return Reason(
            code: .resolutionBelowMinimum, severity: .violation, stream: stream,
            measured: "\(width)×\(height)", expected: "≥ \(minWidth)×\(minHeight)",
            parameters: [
                "width": "\(width)", "height": "\(height)", "min_width": "\(minWidth)", "min_height": "\(minHeight)",
            ])
    }

    private func frameRateReason(_ rate: Double?, stream: StreamRole?) -> Reason? {
        guard let rate else { return nil }
        let code: ReasonCode, severity: Severity, limit: Double
        if rate < profile.minFrameRate * (1 - Self.tolerance) {
            (code, severity, limit) = (.frameRateBelowMinimum, .violation, profile.minFrameRate)
        } else if rate < profile.warnFrameRate * (1 - Self.tolerance) {
            (code, severity, limit) = (.frameRateBelowRecommended, .warning, profile.warnFrameRate)
        } else {
            return nil
        }
        return Reason(
            code: code, severity: severity, stream: stream,
            measured: "\(Self.decimal(rate, 2)) fps", expected: "≥ \(Self.decimal(limit, 2)) fps",
            parameters: ["frame_rate": "\(rate)", "limit": "\(limit)"])
    }

    private func keyframeReason(_ timing: StreamTiming, stream: StreamRole?) -> Reason? {
        let limit = profile.maxKeyframeInterval
        guard let interval = timing.keyframeInterval else {
            let keyframes = timing.keyframes
            return Reason(
                code: .keyframeIntervalUnmeasured, severity: .info, stream: stream,
                measured: "\(keyframes) keyframe\(keyframes == 1 ? "" : "s") in \(Self.decimal(timing.span, 1)) s",
                expected: "≥ 2 keyframes",
                parameters: ["keyframes": "\(keyframes)", "span": "\(timing.span)"])
        }
        guard interval > limit * (1 + Self.tolerance) else { return nil }
        var parameters = ["interval": "\(interval)", "limit": "\(limit)"]
        var measured = "\(Self.decimal(interval, 2)) s"
        if let frames = timing.keyframeIntervalFrames {
            parameters["frames"] = "\(frames)"
            measured += " (\(frames) frames)"
        }
        return Reason(
            code: .keyframeIntervalTooLong, severity: .violation, stream: stream,
            measured: measured, expected: "≤ \(Self.decimal(limit, 2)) s", parameters: parameters)
    }

    private func bitrateReason(_ bitrate: Double?, stream: StreamRole?) -> Reason? {
        guard let bitrate, bitrate < profile.minBitrate else { return nil }
        return Reason(
            code: .bitrateTooLow, severity: .warning, stream: stream,
            measured: "\(Self.kilobits(bitrate)) kbit/s", expected: "≥ \(Self.kilobits(profile.minBitrate)) kbit/s",
            parameters: ["bitrate": "\(bitrate)", "limit": "\(profile.minBitrate)"])
    }

    // MARK: Stream and clock

    private func gapsReason(_ timing: StreamTiming, stream: StreamRole?) -> Reason? {
        guard timing.gaps > 0 else { return nil }
        var parameters = ["gaps": "\(timing.gaps)"]
        var measured = "\(timing.gaps) gap\(timing.gaps == 1 ? "" : "s")"
        if let longest = timing.longestGap {
            parameters["longest_gap"] = "\(longest)"
            measured += ", longest \(Self.decimal(longest, 2)) s"
        }
        return Reason(
            code: .streamGaps, severity: .warning, stream: stream, measured: measured, expected: "no gaps",
            parameters: parameters)
    }

    private func clockReason(_ skew: Double, stream: StreamRole?) -> Reason? {
        let code: ReasonCode, severity: Severity, limit: Double
        if abs(skew) > profile.maxClockSkew {
            (code, severity, limit) = (.clockSkewTooLarge, .violation, profile.maxClockSkew)
        } else if abs(skew) > profile.warnClockSkew {
            (code, severity, limit) = (.clockSkewWarning, .warning, profile.warnClockSkew)
        } else {
            return nil
        }
        return Reason(
            code: code, severity: severity, stream: stream,
            measured: "\(skew < 0 ? "" : "+")\(Self.decimal(skew, 1)) s", expected: "within ±\(Self.decimal(limit, 1)) s",
            parameters: ["skew": "\(skew)", "limit": "\(limit)"])
    }

    // MARK: Language-neutral displays

    private static func decimal(_ value: Double, _ decimals: Int) -> String {
        Language.format(value, decimals: decimals)
    }

    private static func percent(_ share: Double) -> String {
        "\(Language.format(share * 100, decimals: 1))%"
    }

    private static func kilobits(_ bitsPerSecond: Double) -> String {
        Language.format(bitsPerSecond / 1000, decimals: bitsPerSecond < 10_000 ? 1 : 0)
    }
}

/// The verdict on one camera: its main-stream probe, its sub-stream probe if there was
/// one, judged by `profile` with `camera`'s overrides applied (see ``PolicyEvaluator``).
public func evaluate(main: ProbeReport, sub: ProbeReport?, camera: Camera?, profile: PolicyProfile) -> Verdict {
    PolicyEvaluator(profile: profile, camera: camera).evaluate(main: main, sub: sub)
}

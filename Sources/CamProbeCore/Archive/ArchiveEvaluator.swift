import Foundation

/// Judges one camera's archive (its recorder channel) against a profile's
/// ``ArchiveRules``. Values in, reasons out; the reasons join the camera's live
/// verdict (``Verdict/adding(_:)``).
///
/// - **Depth.** Fewer recorded days than `minDays` (holes subtracted) is
///   `archive.too_short`, a violation: the camera works, but does not comply.
/// - **Holes.** A hole of at least `maxGap`, or a latest recording older than `maxGap`
///   (the recorder stopped recording), is `archive.gaps`, a violation.
/// - **Clock.** A recorder clock off by more than `maxClockOffset` is `archive.clock`,
///   a violation.
/// - **Unmeasured.** A measurement that failed or had no method is the note
///   `archive.unmeasured` (info), with its one-line cause: nothing is known, so nothing
///   is judged.
///
/// Depths are compared with ``PolicyEvaluator/tolerance`` room, so a 30-day archive
/// measured a few minutes short of 30 days still passes.
public struct ArchiveEvaluator: Sendable {
    public let rules: ArchiveRules

    public init(rules: ArchiveRules) {
        self.rules = rules
    }

    /// The reasons for `channel` of `measurement`; none without a measurement.
    public func reasons(_ measurement: ArchiveMeasurement?, channel: Int) -> [Reason] {
        guard let measurement else { return [] }
        if let failure = measurement.failure {
            return [Reason(
                code: .archiveUnmeasured, severity: .info, measured: failure.message,
                parameters: ["message": failure.message, "cause": failure.code.rawValue])]
        }
        let archive = measurement.channel(channel) ?? ChannelArchive(channel: channel)
        // The recorder's "now": its clock runs `clockOffset` ahead of ours.
        let now = measurement.measuredAt.addingTimeInterval(measurement.clockOffset ?? 0)
        var reasons = [depthReason(archive), gapsReason(archive, now: now)]
        if let offset = measurement.clockOffset { reasons.append(clockReason(offset)) }
        return reasons.compactMap { $0 }
    }

    private func depthReason(_ archive: ChannelArchive) -> Reason? {
        let days = archive.daysCovered
        guard days < rules.minDays * (1 - PolicyEvaluator.tolerance) else { return nil }
        var parameters = ["days": Self.decimal(days), "limit": Self.decimal(rules.minDays)]
        parameters["earliest"] = archive.earliest.map(Self.timestamp)
        parameters["latest"] = archive.latest.map(Self.timestamp)
        return Reason(
            code: .archiveTooShort, severity: .violation, measured: "\(Self.decimal(days)) days",
            expected: "≥ \(Self.decimal(rules.minDays)) days", parameters: parameters)
    }

    /// The holes of at least `maxGap`, and the stretch from the latest recording to now
    /// when that is one too.
    public func holes(_ archive: ChannelArchive, now: Date) -> [ArchiveSpan] {
        var holes = archive.gaps.filter { $0.duration >= rules.maxGap }
        if let latest = archive.latest, now.timeIntervalSince(latest) >= rules.maxGap {
            holes.append(ArchiveSpan(from: latest, to: now))
        }
        return holes
    }

    private func gapsReason(_ archive: ChannelArchive, now: Date) -> Reason? {
        guard archive.earliest != nil else { return nil }
        let holes = holes(archive, now: now)
        guard let longest = holes.max(by: { $0.duration < $1.duration }) else { return nil }
        return Reason(
            code: .archiveGaps, severity: .violation,
            measured: "\(holes.count) gaps, longest \(Self.decimal(longest.duration / 3600)) h",
            expected: "no gap ≥ \(Self.decimal(rules.maxGap / 3600)) h",
            parameters: [
                "gaps": String(holes.count), "longest_gap": Self.decimal(longest.duration),
                "from": Self.timestamp(longest.from), "to": Self.timestamp(longest.to), "limit": Self.decimal(rules.maxGap),
            ])
    }

    private func clockReason(_ offset: Double) -> Reason? {
        guard abs(offset) > rules.maxClockOffset else { return nil }
        return Reason(
            code: .archiveClock, severity: .violation, measured: "\(Self.decimal(offset)) s",
            expected: "within ±\(Self.decimal(rules.maxClockOffset)) s",
            parameters: ["offset": Self.decimal(offset), "limit": Self.decimal(rules.maxClockOffset)])
    }

    static func decimal(_ value: Double) -> String { Language.format(value, decimals: 1) }

    /// `2024-01-05T01:30:00Z`.
    static func timestamp(_ date: Date) -> String {
        let (y, mo, d, h, mi, s) = CivilTime.fields(Int64(date.timeIntervalSince1970.rounded(.down)))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(mo))-\(two(d))T\(two(h)):\(two(mi)):\(two(s))Z"
    }
}

extension Verdict {
    /// The verdict with `reasons` added (an archive's): the state follows from all of them.
    public func adding(_ more: [Reason]) -> Verdict {
        more.isEmpty ? self : Verdict(reasons: reasons + more)
    }
}

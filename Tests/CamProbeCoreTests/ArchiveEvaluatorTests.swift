@testable import CamProbeCore
import Foundation
import Testing

@Suite struct ArchiveEvaluatorTests {
    static let day = 86_400.0
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// One channel recorded from `days` back to a minute ago, with holes (days back).
    static func measurement(days: Double, holes: [(Double, Double)] = [], offset: Double = 0) -> ArchiveMeasurement {
        var spans: [ArchiveSpan] = []
        var start = now.addingTimeInterval(-days * day)
        for (from, to) in holes {
            spans.append(ArchiveSpan(from: start, to: now.addingTimeInterval(-from * day)))
            start = now.addingTimeInterval(-to * day)
        }
        spans.append(ArchiveSpan(from: start, to: now.addingTimeInterval(-60)))
        // In the recorder's clock.
        let shifted = spans.map { ArchiveSpan(from: $0.from.addingTimeInterval(offset), to: $0.to.addingTimeInterval(offset)) }
        return ArchiveMeasurement(
            recorder: "dvr", measuredAt: now, source: .onvif, clockOffset: offset,
            channels: [ChannelArchive(channel: 1, recorded: shifted, minimumGap: 60)])
    }

    static func verdict(_ measurement: ArchiveMeasurement, rules: ArchiveRules = ArchiveRules()) -> Verdict {
        Verdict(reasons: []).adding(ArchiveEvaluator(rules: rules).reasons(measurement, channel: 1))
    }

    static func verdict(raising code: ReasonCode) -> Verdict {
        switch code {
        case .archiveGaps: verdict(measurement(days: 40, holes: [(12, 10)]))
        case .archiveClock: verdict(measurement(days: 40, offset: 300))
        case .archiveUnmeasured:
            verdict(ArchiveMeasurement(recorder: "dvr", measuredAt: now, source: .onvif, failure: ArchiveFailure(.unauthorized, "ONVIF GetServices at 10.0.0.5:80: HTTP 401: the recorder refused the credentials")))
        default: verdict(measurement(days: 5))
        }
    }

    @Test func thirtyFiveDays_complies() {
        let verdict = Self.verdict(Self.measurement(days: 35))
        #expect(verdict.state == .up)
        #expect(verdict.reasons.isEmpty)
    }

    @Test func fiveDays_isTooShort_degradedNotDown() throws {
        let verdict = Self.verdict(Self.measurement(days: 5))
        #expect(verdict.state == .degraded)
        let reason = try #require(verdict.reasons(.archiveTooShort).first)
        #expect(reason.parameters["days"] == "5")
        #expect(reason.parameters["limit"] == "30")
        #expect(reason.parameters["earliest"] == "2025-12-27T00:00:00Z")
        #expect(reason.text(in: .ru) == "Архив записей хранится 5 сут. (требуется не менее 30 сут.)")
        #expect(reason.text(in: .kk) == "Жазбалар мұрағаты 5 тәулік сақталады (кемінде 30 тәулік қажет)")
        #expect(reason.text(in: .en) == "The recorder keeps 5 days of recordings (at least 30 required)")
    }

    @Test func thirtyDaysMinusMinutes_stillComplies_withinTolerance() {
        #expect(Self.verdict(Self.measurement(days: 29.9)).reasons.isEmpty)
        #expect(Self.verdict(Self.measurement(days: 29)).reasons.map(\.code) == [.archiveTooShort])
    }

    @Test func twoDayHole_isGaps_andCountsAgainstDepth() throws {
        let verdict = Self.verdict(Self.measurement(days: 30, holes: [(12, 10)]))
        #expect(verdict.reasons.map(\.code) == [.archiveTooShort, .archiveGaps])
        let gaps = try #require(verdict.reasons(.archiveGaps).first)
        #expect(gaps.parameters["gaps"] == "1")
        #expect(gaps.parameters["longest_gap"] == "172800")
        #expect(gaps.parameters["from"] == "2025-12-20T00:00:00Z")
        #expect(gaps.parameters["to"] == "2025-12-22T00:00:00Z")
        #expect(gaps.text(in: .en) == "The archive has 1 hole, longest 2 days (2025-12-20T00:00:00Z – 2025-12-22T00:00:00Z)")
        #expect(verdict.reasons(.archiveTooShort).first?.parameters["days"] == "28")
    }

    @Test func shortHole_belowTheRule_isNotReported() {
        let verdict = Self.verdict(Self.measurement(days: 40, holes: [(12, 12 - 0.01)]))
        #expect(verdict.reasons.isEmpty)
    }

    @Test func recorderThatStoppedRecording_isAGapToNow() throws {
        var measurement = Self.measurement(days: 40)
        measurement.channels[0].latest = Self.now.addingTimeInterval(-3 * Self.day)
        let reason = try #require(Self.verdict(measurement).reasons(.archiveGaps).first)
        #expect(reason.parameters["to"] == "2026-01-01T00:00:00Z")
    }

    @Test func emptyDisk_isZeroDays() throws {
        let measurement = ArchiveMeasurement(recorder: "dvr", measuredAt: Self.now, source: .onvif, clockOffset: 0, channels: [ChannelArchive(channel: 1)])
        let verdict = Self.verdict(measurement)
        #expect(verdict.reasons.map(\.code) == [.archiveTooShort])
        #expect(verdict.reasons.first?.parameters["days"] == "0")
    }

    @Test func clockOffset_beyondTheRule_isArchiveClock_depthUnchanged() throws {
        let verdict = Self.verdict(Self.measurement(days: 40, offset: -7200))
        #expect(verdict.reasons.map(\.code) == [.archiveClock])
        #expect(verdict.reasons.first?.parameters["offset"] == "-7200")
        #expect(Self.verdict(Self.measurement(days: 40, offset: 30)).reasons.isEmpty)
    }

    @Test func failedMeasurement_isANote_withItsCause() throws {
        let verdict = Self.verdict(raising: .archiveUnmeasured)
        #expect(verdict.state == .up)
        let reason = try #require(verdict.reasons.first)
        #expect(reason.severity == .info)
        #expect(reason.parameters["cause"] == "unauthorized")
        #expect(reason.text(in: .ru) == "Архив не проверен: ONVIF GetServices at 10.0.0.5:80: HTTP 401: the recorder refused the credentials")
    }

    @Test func archiveReasons_neverLiftADownCamera() {
        let down = Verdict(reasons: [Reason(code: .probeRefused, severity: .failure)])
        #expect(down.adding(ArchiveEvaluator(rules: ArchiveRules()).reasons(Self.measurement(days: 5), channel: 1)).state == .down)
    }

    @Test func noMeasurementYet_saysNothing() {
        #expect(ArchiveEvaluator(rules: ArchiveRules()).reasons(nil, channel: 1).isEmpty)
    }

    @Test func overlappingAndUnorderedSpans_mergeIntoOneArchive() {
        let t = { (d: Double) in Self.now.addingTimeInterval(-d * Self.day) }
        let archive = ChannelArchive(
            channel: 1, recorded: [ArchiveSpan(from: t(10), to: t(0)), ArchiveSpan(from: t(40), to: t(20)), ArchiveSpan(from: t(25), to: t(12))],
            minimumGap: 60)
        #expect(archive.earliest == t(40))
        #expect(archive.latest == t(0))
        #expect(archive.gaps == [ArchiveSpan(from: t(12), to: t(10))])
        #expect(abs(archive.daysCovered - 38) < 1e-6)
    }

    // MARK: Playback URLs and the schedule

    @Test func playbackStartTexts_perVendor() {
        let t: Int64 = 1_704_418_200  // 2024-01-05T01:30:00Z
        #expect(PlaybackVendor.hikvision.startText(t) == "20240105T013000Z")
        #expect(PlaybackVendor.dahua.startText(t) == "2024_01_05_01_30_00")
        #expect(PlaybackVendor.uniview.startText(t) == "1704418200")
        #expect(CivilTime.seconds(year: 2024, month: 1, day: 5, hour: 1, minute: 30, second: 0) == t)
    }

    @Test func nightWindow_parsesAndRefuses() {
        #expect(NightWindow("01:00-05:00") == NightWindow(start: 60, end: 300))
        #expect(NightWindow("22:00-04:00")?.length == 360)
        #expect(NightWindow("00:00-23:59")?.length == 1439)
        #expect(NightWindow("22:30-04:00")?.description == "22:30-04:00")
        for bad in ["01:00", "25:00-01:00", "01:00-01:00", "01:60-02:00", "aa:bb-cc:dd", "00:00-24:00"] {
            #expect(NightWindow(bad) == nil, "\(bad)")
        }
    }

    @Test func schedule_runsInsideTheWindow_onceAnInterval_spreadByRecorder() throws {
        let settings = ArchiveSettings(window: NightWindow(start: 60, end: 300))
        // 2026-01-01 12:00 UTC, daemon at UTC+5: the next window opens at 01:00 local = 20:00 UTC.
        let noon = Self.now.addingTimeInterval(12 * 3600)
        let opens = Self.now.addingTimeInterval(20 * 3600)
        // Never measured: as the window opens.
        #expect(ArchiveSchedule.next(recorder: "dvr-1", settings: settings, last: nil, now: noon, utcOffset: 5 * 3600) == opens)
        // Measured then: the next night at its slot, then a day later.
        let first = ArchiveSchedule.next(recorder: "dvr-1", settings: settings, last: opens.addingTimeInterval(-Self.day), now: noon, utcOffset: 5 * 3600)
        #expect(first == opens.addingTimeInterval(ArchiveSchedule.slot("dvr-1", settings: settings)))
        let second = ArchiveSchedule.next(recorder: "dvr-1", settings: settings, last: first, now: first, utcOffset: 5 * 3600)
        #expect(second.timeIntervalSince(first) == Self.day)
        // Inside the window, a never-measured recorder goes now.
        let inside = opens.addingTimeInterval(600)
        #expect(ArchiveSchedule.next(recorder: "dvr-2", settings: settings, last: nil, now: inside, utcOffset: 5 * 3600) == inside)
        let slots = Set((1...50).map { ArchiveSchedule.slot("dvr-\($0)", settings: settings) })
        #expect(slots.count > 40)
        #expect(slots.allSatisfy { $0 < 4 * 3600 * 0.9 })
    }
}

@testable import CamProbeCore
import Foundation
import Testing

@Suite struct PlaybackSearchTests {
    static let day = 86_400.0
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    /// A simulated recorder: recordings from `days` back to now, holes (days back);
    /// `silent`: asked before its earliest (or in a hole) it plays from the next
    /// recording; otherwise it has nothing (404) before its earliest.
    struct Recorder {
        var days: Double
        var holes: [(Double, Double)] = []
        var silent = true

        func play(_ moment: Date) -> PlaybackSearch.Answer {
            guard days > 0 else { return .nothing }
            let earliest = PlaybackSearchTests.now.addingTimeInterval(-days * day)
            if moment < earliest { return silent ? .played(earliest) : .nothing }
            for (from, to) in holes {
                let start = PlaybackSearchTests.now.addingTimeInterval(-from * day), end = PlaybackSearchTests.now.addingTimeInterval(-to * day)
                if moment >= start && moment < end { return .played(end) }
            }
            return .played(moment.addingTimeInterval(2))
        }
    }

    private func measure(_ recorder: Recorder) throws -> (ChannelArchive, Int) {
        let (result, sessions) = PlaybackSearch().measure(channel: 1, now: Self.now, play: recorder.play)
        return (try result.get(), sessions)
    }

    private func daysBack(_ date: Date?) throws -> Double { Self.now.timeIntervalSince(try #require(date)) / Self.day }

    @Test func silentRecorder_earliestFromTheFirstSession() throws {
        let (archive, sessions) = try measure(Recorder(days: 45))
        #expect(abs(try daysBack(archive.earliest) - 45) < 0.01)
        #expect(archive.gaps.isEmpty)
        #expect(try daysBack(archive.latest) < 0.1)
        #expect(sessions == 1 + 15 + 1)
    }

    @Test func strictRecorder_isBisectedToWithinHalfADay() throws {
        let (archive, sessions) = try measure(Recorder(days: 12, silent: false))
        #expect(abs(try daysBack(archive.earliest) - 12) < 0.5)
        #expect(archive.gaps.isEmpty)
        #expect(sessions == 1 + 10 + 15 + 1)
    }

    @Test func twoDayHole_isFoundAndItsStartRefined() throws {
        let (archive, _) = try measure(Recorder(days: 30, holes: [(12, 10)]))
        #expect(archive.gaps.count == 1)
        let hole = try #require(archive.gaps.first)
        #expect(abs(try daysBack(hole.from) - 12) < 1)
        #expect(abs(try daysBack(hole.to) - 10) < 0.01)
        #expect(abs(archive.daysCovered - 28) < 1)
        let reasons = ArchiveEvaluator(rules: ArchiveRules()).reasons(
            ArchiveMeasurement(recorder: "r", measuredAt: Self.now, source: .rtsp, channels: [archive]), channel: 1)
        #expect(reasons.map(\.code) == [.archiveTooShort, .archiveGaps])
    }

    @Test func emptyDisk_isAnEmptyArchive() throws {
        let (archive, _) = try measure(Recorder(days: 0))
        #expect(archive.earliest == nil && archive.daysCovered == 0)
    }

    @Test func failedSession_stopsTheSearch() {
        var calls = 0
        let (result, sessions) = PlaybackSearch().measure(channel: 1, now: Self.now) { _ in
            calls += 1
            return calls < 3 ? .played(Self.now.addingTimeInterval(-45 * Self.day)) : .failed(ArchiveFailure(.unauthorized, "401"))
        }
        #expect(sessions == 3)
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.code == .unauthorized)
    }

    @Test func clockSources_parse() throws {
        // NTP 3913407000 = 2024-01-05T01:30:00Z (1704418200 + 2208988800); fraction 0.5.
        let seconds: UInt32 = 3_913_407_000
        var sr: [UInt8] = [0x80, 200, 0, 6, 1, 2, 3, 4]
        sr += withUnsafeBytes(of: seconds.bigEndian, Array.init) + [0x80, 0, 0, 0] + [0, 0, 0, 0]
        #expect(PlaybackClock.senderReportTime(sr)?.timeIntervalSince1970 == 1_704_418_200.5)
        #expect(PlaybackClock.senderReportTime([0x80, 201, 0, 1] + Array(repeating: 0, count: 20)) == nil)
        #expect(PlaybackClock.senderReportTime([0x80, 200]) == nil)
        #expect(PlaybackClock.rangeStart("clock=20240105T013000Z-")?.timeIntervalSince1970 == 1_704_418_200)
        #expect(PlaybackClock.rangeStart("clock=20240105T013000.25Z-20240105T023000Z")?.timeIntervalSince1970 == 1_704_418_200.25)
        for bad in ["npt=0.000-", "clock=2024-01-05", "clock=20241305T013000Z-", "clock=", String(repeating: "9", count: 200)] {
            #expect(PlaybackClock.rangeStart(bad) == nil, "\(bad)")
        }
    }
}

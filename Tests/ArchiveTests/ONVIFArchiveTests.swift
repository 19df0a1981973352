import Archive
import CamProbeCore
import Foundation
import Testing

/// The ONVIF Profile G method against a real HTTP recorder on loopback.
@Suite struct ONVIFArchiveTests {
    static let day = 86_400.0

    private static func days(_ date: Date?, before now: Date) -> Double? {
        date.map { now.timeIntervalSince($0) / day }
    }

    @Test func onvif_measuresDepthHolesAndClock_perChannel() throws {
        let fixture = try ONVIFRecorder(.init(
            clock_offset: 0,
            channels: [.init(days: 45), .init(days: 30, gaps: [[12, 10]]), .init(days: 0), .init(days: 12)]))
        let meter = try ArchiveMeter(timeout: 10)
        let measurement = meter.measure(fixture.recorder(), credentials: fixture.credentials)
        #expect(measurement.failure == nil, "\(String(describing: measurement.failure))")
        #expect(measurement.source == .onvif)
        let offset = try #require(measurement.clockOffset)
        #expect(abs(offset) <= 2)
        let now = measurement.measuredAt
        let channels = measurement.channels
        #expect(channels.map(\.channel) == [1, 2, 3, 4])

        #expect(abs(try #require(Self.days(channels[0].earliest, before: now)) - 45) < 1)
        #expect(channels[0].gaps.isEmpty)
        #expect(abs(channels[0].daysCovered - 45) < 1)

        #expect(abs(try #require(Self.days(channels[1].earliest, before: now)) - 30) < 1)
        #expect(channels[1].gaps.count == 1)
        let hole = try #require(channels[1].gaps.first)
        #expect(abs(try #require(Self.days(hole.from, before: now)) - 12) < 1)
        #expect(abs(try #require(Self.days(hole.to, before: now)) - 10) < 1)
        #expect(abs(channels[1].daysCovered - 28) < 1)

        #expect(channels[2].earliest == nil && channels[2].daysCovered == 0)
        #expect(abs(channels[3].daysCovered - 12) < 1)

        let evaluator = ArchiveEvaluator(rules: ArchiveRules())
        #expect(evaluator.reasons(measurement, channel: 1).isEmpty)
        #expect(evaluator.reasons(measurement, channel: 2).map(\.code) == [.archiveTooShort, .archiveGaps])
        #expect(evaluator.reasons(measurement, channel: 3).map(\.code) == [.archiveTooShort])
        #expect(evaluator.reasons(measurement, channel: 4).map(\.code) == [.archiveTooShort])
        // Four recordings, two per answer: the clock, the services, the search, two rounds, its end.
        let stats = try fixture.stats()
        #expect(stats.auth_failures == 0)
        #expect(stats.requests["GetRecordingSearchResults"] == 2)
        #expect(measurement.sessions == 6)
    }

    @Test func onvif_recorderClockOff_isMeasuredAndJudged() throws {
        let fixture = try ONVIFRecorder(.init(clock_offset: -7200, channels: [.init(days: 35)]))
        let measurement = try ArchiveMeter().measure(fixture.recorder(), credentials: fixture.credentials)
        #expect(measurement.failure == nil, "\(String(describing: measurement.failure))")
        let offset = try #require(measurement.clockOffset)
        #expect(abs(offset + 7200) <= 2)
        // Depth is measured in the recorder's clock, so a slow clock does not shorten it.
        #expect(abs(try #require(measurement.channels.first).daysCovered - 35) < 1)
        let reasons = ArchiveEvaluator(rules: ArchiveRules()).reasons(measurement, channel: 1)
        #expect(reasons.map(\.code) == [.archiveClock])
        #expect(reasons.first?.text(in: .en) == "The recorder's clock is 2 h slow (at most 60 s allowed): archive times are wrong")
    }

    @Test func onvif_wrongPassword_isOneLineUnauthorized_withoutThePassword() throws {
        let fixture = try ONVIFRecorder(.init(channels: [.init(days: 35)]))
        let wrong = Credentials(username: "admin", password: "not-the-password")
        let measurement = try ArchiveMeter().measure(fixture.recorder(), credentials: wrong)
        let failure = try #require(measurement.failure)
        #expect(failure.code == .unauthorized)
        #expect(failure.message.contains("GetServices") && failure.message.contains("127.0.0.1:\(fixture.port)"))
        #expect(!failure.message.contains("not-the-password") && !failure.message.contains("\n"))
        #expect(try fixture.stats().auth_failures == 1)
        let reasons = ArchiveEvaluator(rules: ArchiveRules()).reasons(measurement, channel: 1)
        #expect(reasons.map(\.code) == [.archiveUnmeasured])
        #expect(reasons.first?.severity == .info)
    }

    @Test(arguments: [
        ("unauthorized", ArchiveFailure.Code.unauthorized, "HTTP 401"),
        ("no_search", .noMethod, "no recording search service"),
        ("garbage", .protocolError, "not well-formed XML"),
        ("doctype", .protocolError, "DTD"),
        ("huge", .tooLarge, "larger than 1024 KiB"),
    ])
    func onvif_misbehavingRecorder_givesClassifiedOneLineFailure(mode: String, code: ArchiveFailure.Code, text: String) throws {
        let fixture = try ONVIFRecorder(.init(channels: [.init(days: 35)], mode: mode))
        let measurement = try ArchiveMeter().measure(fixture.recorder(), credentials: fixture.credentials)
        let failure = try #require(measurement.failure)
        #expect(failure.code == code, "\(failure.message)")
        #expect(failure.message.contains(text), "\(failure.message)")
        #expect(!failure.message.contains("\n") && !failure.message.contains(fixture.config.password))
    }

    @Test func onvif_slowRecorder_endsAtTheDeadline() throws {
        let fixture = try ONVIFRecorder(.init(channels: [.init(days: 35)], mode: "slow"))
        let measurement = try ArchiveMeter(timeout: 2).measure(fixture.recorder(), credentials: fixture.credentials)
        // The recorder holds its answer 30 s: a timeout means the 2 s deadline ended the call.
        #expect(measurement.failure?.code == .timeout, "\(String(describing: measurement.failure))")
        #expect(measurement.failure?.message.contains("GetServices") == true)
    }

    @Test func onvif_nothingListening_isUnreachable() throws {
        let fixture = try ONVIFRecorder(.init(channels: [.init(days: 35)]))
        let recorder = fixture.recorder()
        fixture.stopForTest()
        let measurement = try ArchiveMeter().measure(recorder, credentials: fixture.credentials)
        #expect(measurement.failure?.code == .unreachable, "\(String(describing: measurement.failure))")
    }
}

import Archive
import CamProbeCore
import Foundation
import Testing

/// The RTSP playback method against the replay fleet's playback mode on loopback:
/// recorders that silently play from their earliest recording, with the recording's
/// time in their RTCP sender reports.
@Suite struct RTSPPlaybackArchiveTests {
    static let day = 86_400.0

    private static func recorder(_ index: Int, port: Int, method: ArchiveMethod = .rtsp, onvifPort: Int = 80, credentials: String? = nil) -> Recorder {
        Recorder(
            id: "dvr\(index)", region: "R", district: "D", school: School(name: "S"), host: PlaybackFleet.host(index), port: port,
            vendor: .hikvision, channels: 1, credentials: credentials, profile: "analog-dvr",
            archive: ArchiveSettings(method: method, onvifPort: onvifPort))
    }

    private static func daysBack(_ date: Date?, from now: Date) throws -> Double { now.timeIntervalSince(try #require(date)) / day }

    @Test func playback_measuresDepthAndHoles_fromTheRecordingsOwnTime() throws {
        let fleet = try PlaybackFleet(archives: ["45", "12", "30:12-10", "0"])
        let meter = try ArchiveMeter(timeout: 10)
        var verdicts: [[ReasonCode]] = []
        for (index, (depth, hole)) in [(45.0, false), (12, false), (30, true), (0, false)].enumerated() {
            let measurement = meter.measure(Self.recorder(index, port: fleet.port), credentials: nil)
            #expect(measurement.failure == nil, "\(String(describing: measurement.failure))")
            #expect(measurement.source == .rtsp)
            let archive = try #require(measurement.channel(1))
            let now = measurement.measuredAt
            if depth > 0 {
                #expect(abs(try Self.daysBack(archive.earliest, from: now) - depth) < 1, "dvr\(index)")
                #expect(try Self.daysBack(archive.latest, from: now) < 1)
            } else {
                #expect(archive.earliest == nil)
            }
            #expect(archive.gaps.count == (hole ? 1 : 0), "dvr\(index): \(archive.gaps)")
            if hole, let gap = archive.gaps.first {
                #expect(abs(try Self.daysBack(gap.from, from: now) - 12) < 1)
                #expect(abs(try Self.daysBack(gap.to, from: now) - 10) < 1)
            }
            // One session at a time, a handful per channel.
            #expect(measurement.sessions <= 25)
            verdicts.append(ArchiveEvaluator(rules: ArchiveRules()).reasons(measurement, channel: 1).map(\.code))
        }
        #expect(verdicts == [[], [.archiveTooShort], [.archiveTooShort, .archiveGaps], [.archiveTooShort]])
    }

    @Test func auto_withoutONVIF_fallsBackToPlayback() throws {
        let fleet = try PlaybackFleet(archives: ["35"])
        // Nothing listens on the ONVIF port: auto goes on to playback.
        let closed = try ClosedPort.find()
        let measurement = try ArchiveMeter(timeout: 5).measure(Self.recorder(0, port: fleet.port, method: .auto, onvifPort: closed), credentials: nil)
        #expect(measurement.source == .rtsp, "\(String(describing: measurement.failure))")
        #expect(abs(try Self.daysBack(measurement.channel(1)?.earliest, from: measurement.measuredAt) - 35) < 1)
    }

    @Test func playback_wrongCredentials_isOneLineUnauthorized() throws {
        let fleet = try PlaybackFleet(archives: ["35"], extra: ["--auth", "admin:right-pw"])
        let measurement = try ArchiveMeter(timeout: 5).measure(
            Self.recorder(0, port: fleet.port), credentials: Credentials(username: "admin", password: "wrong-pw"))
        let failure = try #require(measurement.failure)
        #expect(failure.code == .unauthorized, "\(failure.message)")
        #expect(!failure.message.contains("wrong-pw") && !failure.message.contains("\n"))
        #expect(failure.message.contains("dvr0"))
        // With the right ones it measures.
        let good = try ArchiveMeter(timeout: 5).measure(Self.recorder(0, port: fleet.port), credentials: Credentials(username: "admin", password: "right-pw"))
        #expect(good.failure == nil, "\(String(describing: good.failure))")
    }
}

/// A loopback port nothing listens on (bound, then closed).
enum ClosedPort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CocoaError(.fileNoSuchFile) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

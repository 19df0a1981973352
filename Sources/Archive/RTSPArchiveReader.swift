import CamProbeCore
import Foundation
import Probe

/// Measures a recorder's archive through its vendor's RTSP playback URL, one channel
/// after another and one session at a time (so never more than one of the
/// recorder's few session slots), by ``PlaybackSearch``.
struct RTSPArchiveReader {
    let recorder: Recorder
    let template: String
    let credentials: Credentials?
    let vendor: PlaybackVendor
    /// Per session, connect to sender report.
    let timeout: Double
    let search: PlaybackSearch

    func measure(now: () -> Date) -> ArchiveMeasurement {
        let started = now()
        var channels: [ChannelArchive] = []
        var sessions = 0
        for channel in 1...max(1, recorder.channels) {
            let (result, used) = search.measure(channel: channel, now: now()) { play(channel: channel, at: $0) }
            sessions += used
            switch result {
            case .success(let archive):
                channels.append(archive)
            case .failure(let failure):
                return ArchiveMeasurement(recorder: recorder.id, measuredAt: started, source: .rtsp, sessions: sessions, failure: failure)
            }
        }
        return ArchiveMeasurement(recorder: recorder.id, measuredAt: started, source: .rtsp, channels: channels, sessions: sessions)
    }

    /// The playback URL of `channel` from `moment` on (an hour's window for templates with `{end}`).
    func url(channel: Int, at moment: Date) -> String {
        let start = Int64(moment.timeIntervalSince1970.rounded(.down))
        return recorder.streamURL(template: template, channel: channel)
            .replacingOccurrences(of: "{start}", with: vendor.startText(start))
            .replacingOccurrences(of: "{end}", with: vendor.startText(start + 3600))
    }

    private func play(channel: Int, at moment: Date) -> PlaybackSearch.Answer {
        let address: StreamURL
        do throws(ProbeFailure) {
            address = try StreamAddress.resolve(url(channel: channel, at: moment), credentials: credentials)
        } catch {
            return .failed(ArchiveFailure(.noMethod, "recorder '\(recorder.id)': the playback URL is not usable: \(error.message)"))
        }
        switch PlaybackProbe.recordedTime(address, timeout: timeout) {
        case .success(let time):
            return .played(time)
        case .failure(let failure) where failure.code == .notFound:
            return .nothing
        case .failure(let failure):
            return .failed(ArchiveFailure(Self.code(failure.code), "RTSP playback of recorder '\(recorder.id)' channel \(channel) (\(address.redacted)): \(failure.message)"))
        }
    }

    private static func code(_ code: ProbeFailure.Code) -> ArchiveFailure.Code {
        switch code {
        case .unauthorized, .forbidden: .unauthorized
        case .dns, .refused, .unreachable: .unreachable
        case .timeout, .stalled: .timeout
        default: .protocolError
        }
    }
}

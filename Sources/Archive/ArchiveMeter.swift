import CamProbeCore
import Foundation
import Webhook

/// Measures recorders' archives by the method each one's settings name: ONVIF
/// Profile G, RTSP playback, or (`auto`) ONVIF first and playback when the recorder
/// has no ONVIF search service. One meter per daemon: it owns one curl multi
/// handle, and its calls are serialised.
public final class ArchiveMeter: Sendable {
    public let timeout: TimeInterval
    public let search: PlaybackSearch
    private let transport: WebhookTransport

    /// - Parameters:
    ///   - timeout: per HTTP request or RTSP playback session, connect included.
    ///   - search: how the RTSP playback method samples a channel.
    public init(timeout: TimeInterval = 10, search: PlaybackSearch = PlaybackSearch()) throws {
        self.timeout = timeout
        self.search = search
        transport = try WebhookTransport(
            settings: WebhookTransportSettings(
                connectTimeout: min(5, timeout), totalTimeout: timeout, maxConcurrent: 1, userAgent: "CamProbe-Archive/1"))
    }

    /// One measurement of `recorder` now. Blocks for at most a few requests' timeouts.
    public func measure(_ recorder: Recorder, credentials: Credentials?, now: @escaping () -> Date = Date.init) -> ArchiveMeasurement {
        switch recorder.archive.method {
        case .off:
            return ArchiveMeasurement(
                recorder: recorder.id, measuredAt: now(), source: nil,
                failure: ArchiveFailure(.noMethod, "recorder '\(recorder.id)': archive measurement is off (archive.method: off)"))
        case .onvif:
            return onvif(recorder, credentials: credentials, now: now)
        case .rtsp:
            return rtsp(recorder, credentials: credentials, now: now)
        case .auto:
            // ONVIF first; playback when the recorder has no ONVIF search (or no ONVIF at all).
            let measured = onvif(recorder, credentials: credentials, now: now)
            guard let failure = measured.failure, failure.code == .noMethod || failure.code == .unreachable,
                recorder.archive.playbackTemplate(vendor: recorder.vendor) != nil
            else { return measured }
            return rtsp(recorder, credentials: credentials, now: now)
        }
    }

    private func onvif(_ recorder: Recorder, credentials: Credentials?, now: @escaping () -> Date) -> ArchiveMeasurement {
        let client = ONVIFClient(host: recorder.host, port: recorder.archive.onvifPort, credentials: credentials, transport: transport)
        return ONVIFArchiveReader(client: client, channels: recorder.channels).measure(recorder: recorder.id, now: now)
    }

    private func rtsp(_ recorder: Recorder, credentials: Credentials?, now: @escaping () -> Date) -> ArchiveMeasurement {
        let settings = recorder.archive
        guard let template = settings.playbackTemplate(vendor: recorder.vendor) else {
            return ArchiveMeasurement(
                recorder: recorder.id, measuredAt: now(), source: .rtsp,
                failure: ArchiveFailure(.noMethod, "recorder '\(recorder.id)': vendor \(recorder.vendor.rawValue) has no known playback URL (set archive.playback_template)"))
        }
        let vendor = settings.playback ?? PlaybackVendor(recorder.vendor) ?? .custom
        return RTSPArchiveReader(
            recorder: recorder, template: template, credentials: credentials, vendor: vendor, timeout: timeout, search: search
        ).measure(now: now)
    }
}

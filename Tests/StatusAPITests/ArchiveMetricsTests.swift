import CamProbeCore
import Foundation
import Prometheus
import StatusAPI
import Testing

@Suite struct ArchiveMetricsTests {
    @Test func archiveSeries_followTheCamerasArchive() {
        let registry = PrometheusCollectorRegistry()
        let metrics = ProbeMetrics(registry: registry)
        var camera = Fixtures.cameras[4]
        metrics.update(camera)
        #expect(!MetricsTests.text(registry, metrics).contains("camprobe_archive"))

        let now = Date(timeIntervalSince1970: 1_767_225_600)
        let day = 86_400.0
        let measurement = ArchiveMeasurement(
            recorder: "dvr", measuredAt: now, source: .onvif, clockOffset: -7200,
            channels: [ChannelArchive(
                channel: 1,
                recorded: [ArchiveSpan(from: now.addingTimeInterval(-30 * day), to: now.addingTimeInterval(-12 * day)),
                           ArchiveSpan(from: now.addingTimeInterval(-10 * day), to: now)],
                minimumGap: 60)])
        camera.archive = ArchiveStatus(measurement, channel: 1)
        metrics.update(camera)
        let values = MetricsTests.values(MetricsTests.text(registry, metrics))
        #expect(values[#"camprobe_archive_days{camera="taraz5-cam01"}"#] == 28)
        #expect(values[#"camprobe_archive_gaps{camera="taraz5-cam01"}"#] == 1)
        #expect(values[#"camprobe_archive_clock_offset_seconds{camera="taraz5-cam01"}"#] == -7200)

        // Not measured: no days, no holes; the clock, when it was read, stays.
        camera.archive = ArchiveStatus(
            ArchiveMeasurement(recorder: "dvr", measuredAt: now, source: .onvif, failure: ArchiveFailure(.unauthorized, "401")), channel: 1)
        metrics.update(camera)
        let text = MetricsTests.text(registry, metrics)
        #expect(!text.contains("camprobe_archive_days") && !text.contains("camprobe_archive_gaps"))
    }
}

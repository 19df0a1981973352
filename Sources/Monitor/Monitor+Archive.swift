import CamProbeCore
import Foundation
import Logging

extension Monitor {
    /// One recorder as the archive service plans it.
    public struct ArchiveJob: Sendable {
        public let recorder: Recorder
        public let credentials: Credentials?
        /// When it was last measured; nil: never.
        public let last: Date?
    }

    /// Every recorder of the inventory whose archive is measured (`archive.method` not off).
    public func archiveJobs() -> [ArchiveJob] {
        loaded.recorders.filter { $0.archive.method != .off }.map { recorder in
            ArchiveJob(
                recorder: recorder, credentials: recorder.credentials.flatMap { loaded.secrets[$0] },
                last: fleet.archives[recorder.id]?.measuredAt)
        }
    }

    /// Takes one of the recorder's sessions from the probe schedule; false when its
    /// probes use them all (the archive waits, the probes do not).
    public func borrowArchiveSession(host: String) -> Bool {
        schedule.borrowSession(on: host)
    }

    /// A finished measurement: the session goes back, the measurement is kept (store
    /// and fleet), and when it changes a camera's archive reasons that camera is
    /// probed now, so its state, events and alerts follow at once.
    public func finishArchive(_ measurement: ArchiveMeasurement, host: String) {
        schedule.returnSession(on: host)
        defer { wake() }
        let cameras = loaded.cameras.filter { $0.recorder?.recorder == measurement.recorder }
        let before = cameras.map { archiveCodes($0) }
        fleet.record(archive: measurement)
        do {
            try store.saveArchive(measurement)
        } catch {
            logger.error("cannot store the archive measurement", metadata: ["recorder": "\(measurement.recorder)", "error": "\(error)"])
        }
        let changed = zip(cameras, before).filter { archiveCodes($0.0) != $0.1 }.map(\.0.id)
        if !changed.isEmpty { _ = schedule.probeNow(cameras: changed, at: now()) }
        var metadata: Logger.Metadata = [
            "recorder": "\(measurement.recorder)", "method": "\(measurement.source?.rawValue ?? "none")",
            "sessions": "\(measurement.sessions)", "changed_cameras": "\(changed.count)",
        ]
        if let failure = measurement.failure {
            metadata["error"] = "\(failure.message)"
            logger.warning("archive not measured", metadata: metadata)
        } else {
            metadata["days"] = "\(measurement.channels.map { Int($0.daysCovered.rounded(.down)) })"
            logger.info("archive measured", metadata: metadata)
        }
    }

    /// Drops the stored measurements of recorders no longer in the inventory (after a
    /// reload), so the table is bounded by the inventory.
    public func forgetRemovedRecorders() {
        do {
            let removed = try store.pruneArchives(keepingRecorders: Set(loaded.recorders.map(\.id)))
            if removed > 0 { logger.notice("forgot archive measurements of removed recorders", metadata: ["recorders": "\(removed)"]) }
        } catch {
            logger.error("cannot drop archive measurements of removed recorders", metadata: ["error": "\(error)"])
        }
    }

    private func archiveCodes(_ camera: Camera) -> [ReasonCode] {
        fleet.archiveReasons(camera, profile: loaded.profile(for: camera) ?? .digitalMain).map(\.code)
    }
}

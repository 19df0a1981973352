import Archive
import CamProbeCore
import Foundation
import Logging
import ServiceLifecycle

/// Measures each recorder's archive on its own schedule (``ArchiveSchedule``: once
/// an `archive.interval`, inside the night window, spread by recorder), a few
/// recorders at a time, each through one of its sessions borrowed from the probe
/// schedule so probes and measurements together stay within the recorder's
/// session limit. Measurements block (curl, RTSP), so each runs on a thread of its
/// own, never on the cooperative pool.
public struct ArchiveService: Service {
    let monitor: Monitor
    let meter: ArchiveMeter
    let logger: Logger
    /// Recorders measured at once.
    let concurrency: Int

    public init(monitor: Monitor, meter: ArchiveMeter, logger: Logger, concurrency: Int = 4) {
        self.monitor = monitor
        self.meter = meter
        self.logger = logger
        self.concurrency = max(1, concurrency)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var recorders: Set<String> = []
            while !Task.isCancelled {
                // The inventory changed (start, reload): forget the measurements of recorders it lost.
                let current = Set(await monitor.archiveJobs().map(\.recorder.id))
                if current != recorders {
                    await monitor.forgetRemovedRecorders()
                    recorders = current
                }
                let wait = await round(now: Date())
                guard (try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))) != nil else { return }
            }
        }
    }

    /// Measures the recorders due now (at most `concurrency`), and says how long to
    /// wait before the next round: until the next is due, at most a minute (a
    /// reload may add recorders), at least a second.
    func round(now: Date) async -> Double {
        let offset = TimeZone.current.secondsFromGMT(for: now)
        var wait = 60.0
        var due: [Monitor.ArchiveJob] = []
        for job in await monitor.archiveJobs() {
            let next = ArchiveSchedule.next(recorder: job.recorder.id, settings: job.recorder.archive, last: job.last, now: now, utcOffset: offset)
            if next > now {
                wait = min(wait, next.timeIntervalSince(now))
            } else if due.count < concurrency {
                due.append(job)
            } else {
                wait = 1
            }
        }
        await withDiscardingTaskGroup { group in
            for job in due {
                guard await monitor.borrowArchiveSession(host: job.recorder.host) else {
                    wait = min(wait, 5)
                    continue
                }
                group.addTask {
                    let measurement = await measure(job)
                    await monitor.finishArchive(measurement, host: job.recorder.host)
                }
            }
        }
        return max(1, wait)
    }

    private func measure(_ job: Monitor.ArchiveJob) async -> ArchiveMeasurement {
        await withCheckedContinuation { continuation in
            let thread = Thread { [meter] in
                continuation.resume(returning: meter.measure(job.recorder, credentials: job.credentials))
            }
            thread.name = "camprobe-archive"
            thread.start()
        }
    }
}

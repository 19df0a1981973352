import CamProbeCore
import Foundation
import Synchronization

/// The public face of the probe: `probe(_:)` measures one stream and returns a
/// `ProbeReport`. Blocking FFmpeg work runs on a fixed set of worker threads of
/// its own, never on Swift's cooperative pool; buffers are kept across probes
/// in workspaces the workers borrow (`WorkspacePool`), and decoders are shared
/// by as many workers as there are cores (`DecoderPool`). Results come back
/// through continuations.
public final class Prober: Sendable {
    private let workers: [ProbeWorker]
    private let queue: JobQueue
    private let workspaces: WorkspacePool
    public let thresholds: PictureThresholds

    /// `concurrency` worker threads probe at once.
    public init(concurrency: Int = 2, thresholds: PictureThresholds = PictureThresholds()) {
        precondition(concurrency > 0)
        _ = MemoryTuning.applied
        self.thresholds = thresholds
        let queue = JobQueue(workers: concurrency)
        self.queue = queue
        let decoders = DecoderPool(count: min(concurrency, ProcessInfo.processInfo.activeProcessorCount))
        let workspaces = WorkspacePool(decoders: decoders)
        self.workspaces = workspaces
        self.workers = (0..<concurrency).map { ProbeWorker(index: $0, queue: queue, workspaces: workspaces) }
    }

    deinit {
        queue.shutdown()
    }

    /// Returns memory the process freed to the kernel (see
    /// `MemoryTuning.returnFreedMemory`): the prober keeps malloc's trim
    /// threshold high for its own buffers, so the daemon calls this after work
    /// that freed much at once (loading or reloading a configuration) and
    /// periodically.
    public static func returnFreedMemory() {
        MemoryTuning.returnFreedMemory()
    }

    /// Workspaces made so far: the most probes that ran at once.
    public var workspacesMade: Int { workspaces.made }

    /// Probes one stream. Cancelling the task cuts the probe short through the
    /// interrupt callback (it then ends with `cancelled`).
    public func probe(
        _ url: StreamURL, options: ProbeOptions = .default, previousSignature: PictureSignature? = nil,
        lastDecoded: DecodedPicture? = nil
    ) async -> ProbeReport {
        let interrupt = InterruptState()
        let thresholds = self.thresholds
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ProbeReport, Never>) in
                queue.submit(Job(run: { workspace in
                    let report = StreamProbe(
                        url: url, options: options, interrupt: interrupt, workspace: workspace,
                        thresholds: thresholds, previousSignature: previousSignature, lastDecoded: lastDecoded
                    ).run()
                    continuation.resume(returning: report)
                }, abandon: {
                    continuation.resume(returning: ProbeReport(
                        target: url.redacted, startedAt: Date(),
                        failure: ProbeFailure(.cancelled, "prober shut down before the probe ran")))
                }))
            }
        } onCancel: {
            interrupt.cancel()
        }
    }
}

/// One dedicated thread that runs probes one after another, each with a
/// workspace borrowed from the pool for the time of the probe.
final class ProbeWorker: Sendable {
    init(index: Int, queue: JobQueue, workspaces: WorkspacePool) {
        let thread = Thread {
            while let job = queue.next(worker: index) {
                let workspace = workspaces.take()
                job.run(workspace)
                workspaces.give(workspace)
            }
        }
        thread.name = "camprobe-probe-\(index)"
        thread.stackSize = 1 << 20
        thread.start()
    }
}

import Dispatch
import Synchronization

/// A unit of blocking work for a worker thread.
struct Job: Sendable {
    let run: @Sendable (ProbeWorkspace) -> Void
    let abandon: @Sendable () -> Void
}

/// The jobs worker threads block on: first in, first out, each handed to the
/// worker that went idle last. A region's prober has a thread per probe it may
/// run at once (262 for 17,432 cameras) while fewer run on average (~170);
/// waking the most recently idle one keeps the same threads busy and the rest
/// asleep, so only as many thread stacks are ever touched as probes ran at once
/// (a semaphore's wake-ups go round all of them: 262 stacks of ~76 KiB each),
/// and the threads that run are the ones whose stacks are in cache.
final class JobQueue: Sendable {
    private struct State {
        var jobs: [Job] = []
        var head = 0
        /// Idle workers, the one that went idle last at the end.
        var idle: [Int] = []
        /// A job handed to an idle worker, until it wakes and takes it.
        var handed: [Int: Job] = [:]
        var closed = false
    }

    private let state = Mutex(State())
    /// One per worker: what it sleeps on while idle.
    private let wakeUps: [DispatchSemaphore]

    init(workers: Int) {
        wakeUps = (0..<workers).map { _ in DispatchSemaphore(value: 0) }
    }

    func submit(_ job: Job) {
        enum Outcome { case queued, handed(Int), refused }
        let outcome = state.withLock { state -> Outcome in
            guard !state.closed else { return .refused }
            if let worker = state.idle.popLast() {
                state.handed[worker] = job
                return .handed(worker)
            }
            state.jobs.append(job)
            return .queued
        }
        switch outcome {
        case .queued: break
        case .handed(let worker): wakeUps[worker].signal()
        case .refused: job.abandon()
        }
    }

    /// The next job for `worker`, waiting while there is none; nil once the
    /// queue is shut down.
    func next(worker: Int) -> Job? {
        let waiting = state.withLock { state -> Job?? in
            if state.head < state.jobs.count {
                let job = state.jobs[state.head]
                state.head += 1
                if state.head > 64, state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return .some(job)
            }
            if state.closed { return .some(nil) }
            state.idle.append(worker)
            return nil
        }
        if let waiting { return waiting }
        wakeUps[worker].wait()
        // Woken with a job handed over, or by shutdown with none.
        return state.withLock { $0.handed.removeValue(forKey: worker) }
    }

    /// Refuses new jobs, abandons the queued ones and wakes every idle worker
    /// so that each sees the queue closed.
    func shutdown() {
        let (pending, idle) = state.withLock { state -> ([Job], [Int]) in
            state.closed = true
            let pending = Array(state.jobs[state.head...])
            let idle = state.idle
            state.jobs = []
            state.head = 0
            state.idle = []
            return (pending, idle)
        }
        pending.forEach { $0.abandon() }
        for worker in idle { wakeUps[worker].signal() }
    }
}

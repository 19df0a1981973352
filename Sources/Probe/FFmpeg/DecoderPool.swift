import Foundation
import Synchronization

/// The decode stage: a few sets of decoders shared by all probe workers.
///
/// Probing is mostly waiting on the network, so a prober runs many workers;
/// decoding is CPU-bound and a 1080p decoder holds megabytes of frame buffers.
/// Workers check a decoder set out only for the moment they decode, so memory
/// grows with the number of cores, not with the number of sessions, and at most
/// that many keyframes are decoded at once.
final class DecoderPool: Sendable {
    private let free: Mutex<[DecoderCache]>
    private let available: DispatchSemaphore

    init(count: Int) {
        free = Mutex((0..<max(1, count)).map { _ in DecoderCache() })
        available = DispatchSemaphore(value: max(1, count))
    }

    /// Runs `body` with a decoder set of its own; blocks (the calling worker
    /// thread, never a Swift task) until one is free.
    func withDecoders<T, E: Error>(_ body: (DecoderCache) throws(E) -> T) throws(E) -> T {
        available.wait()
        let cache = free.withLock { $0.removeLast() }
        defer {
            var oversized = cache.takeOversized()
            if !oversized.isEmpty { MemoryTuning.returningFreedMemory { oversized.removeAll() } }
            free.withLock { $0.append(cache) }
            available.signal()
        }
        return try body(cache)
    }
}


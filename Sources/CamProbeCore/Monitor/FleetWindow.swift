import Foundation

/// The prober rule's evidence: each camera's latest probe within the last
/// ``FleetGuardPolicy/proberWindow`` seconds, counted as probes come in, so a
/// probe costs O(1) amortised in a fleet of 20,000 rather than a scan.
///
/// Probes are expected in about the order they ran; one that arrives late is
/// still counted, and expires a little late.
struct FleetWindow: Sendable {
    private struct Latest: Sendable {
        var sequence: UInt64
        var at: Date
        var host: String
        /// The network-level failure, if it was one.
        var failure: ReasonCode?
    }

    private struct Entry: Sendable {
        var sequence: UInt64
        var at: Date
        var camera: String
    }

    private var latest: [String: Latest] = [:]
    /// Probes in arrival order; `head` is the oldest not yet expired.
    private var queue: [Entry] = []
    private var head = 0
    private var nextSequence: UInt64 = 0
    private var failureCodes: [ReasonCode: Int] = [:]
    private var failingPerHost: [String: Int] = [:]

    /// Cameras probed within the window.
    var probed: Int { latest.count }
    /// Of those, cameras whose latest probe failed at network level.
    private(set) var failing = 0
    /// Distinct hosts of the failing cameras.
    var failingHosts: Int { failingPerHost.count }

    /// The most common network-level failure; ties go to the first code in
    /// ``ReasonCode`` order.
    var commonFailure: ReasonCode? { FleetGuard.commonKey(failureCodes) }

    mutating func record(camera: String, host: String, failure: ReasonCode?, at time: Date, window: TimeInterval) {
        expire(before: time.addingTimeInterval(-window))
        remove(camera: camera)
        let networkFailure = failure.flatMap { $0.isNetworkLevel ? $0 : nil }
        latest[camera] = Latest(sequence: nextSequence, at: time, host: host, failure: networkFailure)
        queue.append(Entry(sequence: nextSequence, at: time, camera: camera))
        nextSequence += 1
        if let networkFailure {
            failing += 1
            failureCodes[networkFailure, default: 0] += 1
            failingPerHost[host, default: 0] += 1
        }
    }

    /// Forgets a camera's probe (the camera left the inventory, or a newer
    /// probe replaces it).
    mutating func remove(camera: String) {
        guard let old = latest.removeValue(forKey: camera), let code = old.failure else { return }
        failing -= 1
        decrement(&failureCodes, code)
        decrement(&failingPerHost, old.host)
    }

    /// Drops probes older than `cutoff`.
    private mutating func expire(before cutoff: Date) {
        while head < queue.count, queue[head].at < cutoff {
            let entry = queue[head]
            head += 1
            if latest[entry.camera]?.sequence == entry.sequence {
                remove(camera: entry.camera)
            }
        }
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }

    private func decrement<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key) {
        let remaining = counts[key, default: 0] - 1
        counts[key] = remaining > 0 ? remaining : nil
    }
}

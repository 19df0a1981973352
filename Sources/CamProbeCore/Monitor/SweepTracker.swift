import Foundation

/// When every camera of the inventory was last probed at least once: a
/// sweep starts when the previous one ends, and ends at the probe that
/// leaves no camera of it unprobed. The heartbeat and the scale benchmark
/// report the last one; a sweep longer than the interval is a schedule
/// that cannot keep up.
public struct SweepTracker: Sendable {
    private var cameras: Set<String>
    private var pending: Set<String>
    private var started: Date
    public private(set) var last: HeartbeatEventData.Sweep?

    public init(cameras: Set<String>, at time: Date) {
        self.cameras = cameras
        self.pending = cameras
        self.started = time
    }

    /// Camera `id` was probed (conclusively) at `time`.
    public mutating func probed(_ id: String, at time: Date) {
        guard pending.remove(id) != nil, pending.isEmpty else { return }
        last = HeartbeatEventData.Sweep(started: started, finished: time)
        started = time
        pending = cameras
    }

    /// A new inventory: cameras gone no longer hold the sweep up; new ones join it.
    public mutating func reload(cameras new: Set<String>) {
        pending = pending.intersection(new).union(new.subtracting(cameras))
        cameras = new
    }
}

import CamProbeCore
import Synchronization

/// The statuses the daemon publishes, readable without waiting for the
/// monitor's actor: a region's sweep keeps the actor busy deciding probes, and a
/// status query (`/v1/cameras`, `/v1/summary`) must not queue behind them. The
/// monitor publishes each status as it applies a decision; readers take the
/// lock for the time of one pass over the inventory.
final class StatusBoard: Sendable {
    /// The statuses in the camera list's order (``CameraStatus/listOrder``), the
    /// order answers are given in, and each id's place: one array, not a
    /// dictionary of statuses (a region's at half its buckets' load held
    /// twice the memory).
    private struct Content {
        var statuses: [CameraStatus] = []
        var index: [String: Int] = [:]
    }

    private let content = Mutex(Content())

    /// A camera's new status; one the inventory no longer has is not kept.
    func publish(_ status: CameraStatus) {
        content.withLock { content in
            guard let place = content.index[status.id] else { return }
            content.statuses[place] = status
        }
    }

    /// A new inventory: every status at once. The list order is sorted here,
    /// once: the fields it sorts by come from the inventory, so a query need
    /// not sort a region's cameras again.
    func reset(statuses: [String: CameraStatus]) {
        var fresh = Content()
        fresh.statuses = statuses.values.sorted(by: CameraStatus.listOrder)
        fresh.index.reserveCapacity(fresh.statuses.count)
        for (place, status) in fresh.statuses.enumerated() { fresh.index[status.id] = place }
        content.withLock { $0 = fresh }
    }

    /// The counts of the statuses `filter` matches, counted under the lock
    /// without copying them (a region's summary is asked for every few seconds).
    func summary(matching filter: CameraFilter, by level: SummaryRow.Level) -> [SummaryRow] {
        var tally = SummaryTally(level)
        content.withLock { content in
            for status in content.statuses where filter.matches(status) { tally.add(status) }
        }
        return tally.rows
    }

    /// The statuses `filter` matches, in list order. Every camera is the array
    /// itself, shared: the next publish copies it while the reader still holds it.
    func cameras(matching filter: CameraFilter) -> [CameraStatus] {
        content.withLock { content in
            filter.matchesAll ? content.statuses : content.statuses.filter(filter.matches)
        }
    }
}

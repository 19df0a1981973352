import CamProbeCore
import Synchronization

/// The statuses the daemon publishes, readable without waiting for the
/// monitor's actor: a region's sweep keeps the actor busy deciding probes, and a
/// status query (`/v1/cameras`, `/v1/summary`) must not queue behind them. The
/// monitor publishes each status as it applies a decision; readers take the
/// lock for the time of one pass over the inventory.
final class StatusBoard: Sendable {
    private struct Content {
        var statuses: [String: CameraStatus] = [:]
        /// The ids in the camera list's order (``CameraStatus/listOrder``),
        /// the order answers are given in.
        var order: [String] = []
    }

    private let content = Mutex(Content())

    func publish(_ status: CameraStatus) {
        content.withLock { $0.statuses[status.id] = status }
    }

    /// A new inventory: every status at once. The list order is sorted here,
    /// once: the fields it sorts by come from the inventory, so a query need
    /// not sort a region's cameras again.
    func reset(statuses: [String: CameraStatus]) {
        let order = statuses.values.sorted(by: CameraStatus.listOrder).map(\.id)
        content.withLock { $0 = Content(statuses: statuses, order: order) }
    }

    /// The counts of the statuses `filter` matches, counted under the lock
    /// without copying them (a region's summary is asked for every few seconds).
    func summary(matching filter: CameraFilter, by level: SummaryRow.Level) -> [SummaryRow] {
        var tally = SummaryTally(level)
        content.withLock { content in
            for status in content.statuses.values where filter.matches(status) { tally.add(status) }
        }
        return tally.rows
    }

    /// The statuses `filter` matches, in list order: one array, reserved at
    /// its size when every camera is asked for.
    func cameras(matching filter: CameraFilter) -> [CameraStatus] {
        content.withLock { content in
            var matching: [CameraStatus] = []
            if filter.matchesAll { matching.reserveCapacity(content.order.count) }
            for id in content.order {
                if let status = content.statuses[id], filter.matches(status) { matching.append(status) }
            }
            return matching
        }
    }
}

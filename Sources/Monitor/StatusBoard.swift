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
        /// Inventory order, the order answers are given in.
        var order: [String] = []
    }

    private let content = Mutex(Content())

    func publish(_ status: CameraStatus) {
        content.withLock { $0.statuses[status.id] = status }
    }

    /// A new inventory: `order` and every status at once.
    func reset(order: [String], statuses: [String: CameraStatus]) {
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

    func cameras(matching filter: CameraFilter) -> [CameraStatus] {
        content.withLock { content in
            content.order.compactMap { content.statuses[$0] }.filter(filter.matches)
        }
    }
}

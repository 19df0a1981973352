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

    func cameras(matching filter: CameraFilter) -> [CameraStatus] {
        content.withLock { content in
            content.order.compactMap { content.statuses[$0] }.filter(filter.matches)
        }
    }
}

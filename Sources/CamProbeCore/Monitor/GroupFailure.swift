import Foundation

/// The evidence that a host or school is down.
public struct GroupFailure: Sendable, Equatable {
    /// The most common failure among the failing cameras (ties: the first code
    /// in ``ReasonCode`` order).
    public var reason: ReasonCode
    /// Cameras that have been failing since ``since``.
    public var failing: Int
    /// Cameras probed since ``since``: the failing ones and those that answered.
    public var probed: Int
    /// The first failure of the episode: the group is down since then.
    public var since: Date
    /// The group's cameras (those with a recent probe), sorted: all affected.
    public var cameras: [String]

    public init(reason: ReasonCode, failing: Int, probed: Int, since: Date, cameras: [String]) {
        self.reason = reason
        self.failing = failing
        self.probed = probed
        self.since = since
        self.cameras = cameras
    }
}

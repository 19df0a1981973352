import Foundation

/// The evidence that the prober's own network is failing.
public struct ProberDegradation: Sendable, Equatable {
    /// The most common network-level failure (ties: the first code in
    /// ``ReasonCode`` order).
    public var reason: ReasonCode
    /// Cameras whose latest probe within ``FleetGuardPolicy/proberWindow`` failed
    /// at network level.
    public var failing: Int
    /// Cameras probed within the window.
    public var probed: Int
    /// Distinct hosts among the failing cameras.
    public var hosts: Int
    /// When it was declared.
    public var at: Date

    public init(reason: ReasonCode, failing: Int, probed: Int, hosts: Int, at: Date) {
        self.reason = reason
        self.failing = failing
        self.probed = probed
        self.hosts = hosts
        self.at = at
    }
}

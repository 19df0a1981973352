/// Why a camera's change is not published on its own.
public enum Suppression: Sendable, Hashable, CustomStringConvertible {
    /// The prober's own network is failing (``FleetEvent/proberDegraded(_:)``).
    case prober
    /// The school (its key) is down (``FleetEvent/schoolDown(school:_:)``).
    case school(String)
    /// The DVR/NVR or device (its key) is down (``FleetEvent/hostDown(host:_:)``).
    case host(String)
    /// The change returns the camera to the state operators already know: it
    /// left that state while a common cause covered it, which was never published.
    case unchanged

    /// `prober`, `school:<key>`, `host:<key>` or `unchanged`: what a camera's
    /// status shows as "affected by".
    public var description: String {
        switch self {
        case .prober: "prober"
        case let .school(key): "school:" + key
        case let .host(key): "host:" + key
        case .unchanged: "unchanged"
        }
    }
}

/// What the ``FleetGuard`` tells the daemon to publish, or not.
public enum FleetEvent: Sendable, Equatable {
    /// Most cameras of one host fail: one alert for the host, its cameras are
    /// affected. Said once, until ``hostRecovered(host:)``.
    case hostDown(host: String, GroupFailure)
    case hostRecovered(host: String)
    /// Most cameras of one school, across its hosts, fail.
    case schoolDown(school: String, GroupFailure)
    case schoolRecovered(school: String)
    /// Most of the fleet fails at network level: the prober's own connectivity
    /// is the problem. No camera, host or school alert goes out until
    /// ``proberRecovered``.
    case proberDegraded(ProberDegradation)
    case proberRecovered
    /// Tell operators of this camera change.
    case publish(CameraChange)
    /// Record this camera change, but do not alert on it.
    case suppress(CameraChange, because: Suppression)
}

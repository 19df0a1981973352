import Foundation

/// When the ``FleetGuard`` blames a common cause instead of the cameras. Every
/// default is here, with its reason. "Failing" means a `down` verdict (for the
/// prober: a network-level one, ``ReasonCode/isNetworkLevel``), never a
/// compliance violation. For a host or school, shares are of the cameras
/// probed since the episode's first failure (no fixed window: see
/// ``FleetGuard``); for the prober, of the cameras probed within
/// ``proberWindow``.
public struct FleetGuardPolicy: Sendable, Equatable {
    /// Share of a host's probed cameras failing that makes the host down.
    /// Default 0.75: "most" of a DVR's channels, with room for a channel or two
    /// that was dead before or answered from a cache.
    public var hostShare: Double
    /// A host declared down recovers when the failing share falls below this.
    /// Default 0.5: hysteresis, so an overloaded DVR hovering around 75% is not
    /// declared down and up again.
    public var hostRecoveryShare: Double
    /// Failing cameras needed to blame a host. Default 2: a host with one camera
    /// is that camera.
    public var hostMinimumFailing: Int
    /// Share of a school's probed cameras failing that makes the school down.
    /// Default 0.75, as for a host.
    public var schoolShare: Double
    /// Default 0.5, as for a host.
    public var schoolRecoveryShare: Double
    /// Failing cameras needed to blame a school. Default 3: two cameras failing
    /// together are as likely to be a coincidence as a site problem.
    public var schoolMinimumFailing: Int
    /// Distinct hosts the failing cameras must span to blame the school rather
    /// than a host. Default 2: a school with one DVR down is that DVR, which is
    /// the more useful thing to tell (its address); a school's uplink takes all
    /// its hosts.
    public var schoolMinimumHosts: Int
    /// Share of the fleet's recently probed cameras failing at network level
    /// that makes the prober blame itself. Default 0.5: no plausible outage of
    /// cameras takes half a region at once; the prober's own network does.
    public var proberShare: Double
    /// The prober recovers when the share falls below this. Default 0.25:
    /// well above the share of cameras that are really unreachable on a normal
    /// day, well below the trigger, so a half-working link stays reported as
    /// one problem instead of thousands of camera alerts.
    public var proberRecoveryShare: Double
    /// Cameras that must have been probed within ``proberWindow`` for the prober
    /// rule to apply, and for a degraded prober to recover. Default 20: below
    /// that a share means little. A fleet
    /// probing fewer cameras than this per window never blames the prober:
    /// lengthen the window for small fleets.
    public var proberMinimumProbed: Int
    /// Distinct hosts the network-level failures must span. Default 3: in a small
    /// fleet one big DVR can be half of the cameras; with fewer hosts, the hosts
    /// themselves are the simpler explanation, and are reported as such.
    public var proberMinimumHosts: Int
    /// How recent a camera's latest probe must be to count for the prober rule,
    /// seconds. Default 60: a region's fleet probes thousands of cameras a
    /// minute, and the rule must decide within the cameras' own grace period
    /// (about a minute with ``StateMachinePolicy`` defaults) so no camera alert
    /// leaks before the prober blames itself.
    public var proberWindow: TimeInterval
    /// Consecutive probes that must agree with a camera's state, after a host or
    /// school that covered it recovered, before a change it went through while
    /// covered is published. Default 1: the camera's state machine already
    /// confirmed the state, and its siblings answering show the device is back.
    public var confirmationsAfterGroupRecovery: Int
    /// The same after the prober recovered. Default 2: the prober's own link may
    /// still drop probes, and thousands of cameras are waiting to be confirmed.
    public var confirmationsAfterProberRecovery: Int

    public init(
        hostShare: Double = 0.75,
        hostRecoveryShare: Double = 0.5,
        hostMinimumFailing: Int = 2,
        schoolShare: Double = 0.75,
        schoolRecoveryShare: Double = 0.5,
        schoolMinimumFailing: Int = 3,
        schoolMinimumHosts: Int = 2,
        proberShare: Double = 0.5,
        proberRecoveryShare: Double = 0.25,
        proberMinimumProbed: Int = 20,
        proberMinimumHosts: Int = 3,
        proberWindow: TimeInterval = 60,
        confirmationsAfterGroupRecovery: Int = 1,
        confirmationsAfterProberRecovery: Int = 2
    ) {
        self.hostShare = hostShare
        self.hostRecoveryShare = hostRecoveryShare
        self.hostMinimumFailing = max(1, hostMinimumFailing)
        self.schoolShare = schoolShare
        self.schoolRecoveryShare = schoolRecoveryShare
        self.schoolMinimumFailing = max(1, schoolMinimumFailing)
        self.schoolMinimumHosts = max(1, schoolMinimumHosts)
        self.proberShare = proberShare
        self.proberRecoveryShare = proberRecoveryShare
        self.proberMinimumProbed = max(1, proberMinimumProbed)
        self.proberMinimumHosts = max(1, proberMinimumHosts)
        self.proberWindow = proberWindow
        self.confirmationsAfterGroupRecovery = max(1, confirmationsAfterGroupRecovery)
        self.confirmationsAfterProberRecovery = max(1, confirmationsAfterProberRecovery)
    }

    public static let `default` = FleetGuardPolicy()
}

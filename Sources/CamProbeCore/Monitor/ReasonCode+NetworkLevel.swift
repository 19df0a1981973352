extension ReasonCode {
    /// Whether the probe failed before any byte came back from the camera: the
    /// name did not resolve, no route, nothing listening, or no TCP answer in
    /// time. These are what the prober's own network failing looks like, so
    /// only these count towards ``FleetGuardPolicy/proberShare``.
    ///
    /// `probe.timeout.handshake` and `probe.timeout.first_frame` are not: the TCP
    /// connection was made, so the route works and the device is the one slow.
    public var isNetworkLevel: Bool {
        switch self {
        case .probeDNS, .probeRefused, .probeUnreachable, .probeTimeoutResolve, .probeTimeoutConnect, .probeTimeout:
            true
        default:
            false
        }
    }
}

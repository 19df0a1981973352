extension FleetState {
    /// The archive reasons of `camera` under `profile`: none for a camera without
    /// a recorder, or before its recorder was measured.
    public func archiveReasons(_ camera: Camera, profile: PolicyProfile) -> [Reason] {
        guard let channel = camera.recorder else { return [] }
        return ArchiveEvaluator(rules: profile.archive).reasons(archives[channel.recorder], channel: channel.channel)
    }
}

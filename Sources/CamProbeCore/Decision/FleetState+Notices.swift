/// The log lines of a decision: what operators reading the journal need, with
/// the camera, school and host as metadata.
extension FleetState {
    static func metadata(_ status: CameraStatus) -> [String: String] {
        ["camera": status.id, "school": status.school, "host": status.host]
    }

    /// Flapping is the camera's own news; its transitions come through the
    /// fleet guard, which decides whether they are published.
    static func notices(of actions: [CameraAction], _ status: CameraStatus) -> [Notice] {
        actions.compactMap { action in
            switch action {
            case .flappingStarted: Notice(.warning, "camera is flapping", metadata(status))
            case .flappingEnded: Notice(.notice, "camera stopped flapping", metadata(status))
            case .transition, .scheduleRetry: nil
            }
        }
    }

    /// The line for one of the fleet guard's answers.
    func notice(_ event: FleetEvent, language: Language) -> Notice {
        switch event {
        case let .publish(change):
            return notice(change, suppressed: nil, language: language)
        case let .suppress(change, because):
            return notice(change, suppressed: because, language: language)
        case let .hostDown(host, failure):
            return Notice(.error, "host down: most of its cameras fail", ["host": host, "detail": "\(failure)"])
        case let .hostRecovered(host):
            return Notice(.notice, "host recovered", ["host": host])
        case let .schoolDown(school, failure):
            return Notice(.error, "school down: most of its cameras fail", ["school": school, "detail": "\(failure)"])
        case let .schoolRecovered(school):
            return Notice(.notice, "school recovered", ["school": school])
        case let .proberDegraded(degradation):
            return Notice(
                .critical, "the prober's own network looks broken: no camera alerts until it recovers",
                ["detail": "\(degradation)"])
        case .proberRecovered:
            return Notice(.notice, "the prober's network recovered")
        }
    }

    /// A camera's published (or held back) change; the camera is the change's
    /// own, which for a change published late is not the camera just probed.
    private func notice(_ change: CameraChange, suppressed: Suppression?, language: Language) -> Notice {
        var metadata = statuses[change.camera].map(Self.metadata) ?? ["camera": change.camera]
        metadata["from"] = change.from.rawValue
        metadata["to"] = change.to.rawValue
        if let first = change.reasons.first { metadata["reason"] = first.code.rawValue }
        if let suppressed {
            metadata["affected_by"] = "\(suppressed)"
            return Notice(.info, "camera \(change.to.rawValue) (not alerted: affected by \(suppressed))", metadata)
        }
        let text = change.reasons.first.map { ": " + $0.text(in: language) } ?? ""
        let level: Notice.Level = change.to == .down || change.to == .degraded ? .warning : .notice
        return Notice(level, "camera \(change.to.rawValue)\(level == .warning ? text : "")", metadata)
    }
}

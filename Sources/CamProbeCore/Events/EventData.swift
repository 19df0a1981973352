/// The `data` of a ``CloudEvent``, by kind.
public enum EventData: Sendable, Equatable {
    case camera(CameraEventData)
    case group(GroupEventData)
    case snapshot(SnapshotEventData)
    case heartbeat(HeartbeatEventData)
    case schedule(ScheduleEventData)

    public var type: EventType {
        switch self {
        case let .camera(data): data.kind.type
        case let .group(data): data.level.type
        case .snapshot: .snapshot
        case .heartbeat: .proberHeartbeat
        case .schedule: .proberSchedule
        }
    }
}

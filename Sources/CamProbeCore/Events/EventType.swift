/// The types of events, versioned: a change that breaks consumers is a new
/// `.vN` type with its own schema; fields are only ever added within a version.
public enum EventType: String, Sendable, Codable, CaseIterable {
    /// A camera's confirmed state changed (one per transition in its history).
    /// `data.alerted` says whether operators are told now, or the change is
    /// explained by a host, school or prober outage (`data.affected_by`).
    case cameraState = "kz.camprobe.camera.state.v1"
    /// A change a camera went through while covered by a host/school/prober
    /// outage, published once the cover is gone and fresh probes agree.
    case cameraAlert = "kz.camprobe.camera.alert.v1"
    /// A camera has been down or non-compliant for longer than the reminder
    /// period (sent again every period while it lasts).
    case cameraReminder = "kz.camprobe.camera.reminder.v1"
    /// Most cameras of one DVR/NVR or camera address failed together / recovered.
    case hostState = "kz.camprobe.host.state.v1"
    /// Most cameras of one school failed together / recovered.
    case schoolState = "kz.camprobe.school.state.v1"
    /// The prober's own network looks broken / recovered.
    case proberState = "kz.camprobe.prober.state.v1"
    /// The state of every camera (periodic, optional).
    case snapshot = "kz.camprobe.snapshot.v1"
    /// The prober is alive (periodic, to the queue only).
    case proberHeartbeat = "kz.camprobe.prober.heartbeat.v1"
    /// The schedule fell behind / caught up.
    case proberSchedule = "kz.camprobe.prober.schedule.v1"

    /// The JSON Schema of the event, as shipped in `docs/events/`.
    public var schema: String {
        let name = rawValue.dropFirst("kz.camprobe.".count)
        return "https://camprobe.kz/schemas/\(name).json"
    }
}

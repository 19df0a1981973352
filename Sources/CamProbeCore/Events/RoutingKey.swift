/// The AMQP routing key of an event: five dot-separated segments
/// `region.district.school.subject.state`, so that a consumer binds what it
/// wants with the topic exchange's patterns:
///
/// - camera events: `<region>.<district>.<school>.<camera id>.<state>`;
///   `*.*.*.*.down` is every camera going down, `abai.*.#` one region;
/// - host/school events: `<region>.<district>.<school>.host_<host>.<state>` /
///   `…<school>.school.<state>`, with `_` for a level the group spans;
/// - prober: `_._._.prober_<instance>.<state>`; snapshot: `_._._.snapshot.all`;
///   heartbeat: `_._._.prober_<instance>.heartbeat`; schedule:
///   `_._._.prober_<instance>.schedule_<behind|on_time>`.
///
/// The school segment is the school's BIN when it has one (stable, ASCII),
/// else its name. Each segment is sanitised: lowercased; letters (any script)
/// and digits kept; `-` kept; everything else (`.`, `*`, `#`, spaces,
/// punctuation) becomes `_`, runs collapsed. The whole key is at most 255
/// bytes (AMQP's short string): long segments are cut at a character boundary.
public enum RoutingKey {
    public static let maxBytes = 255
    static let segmentBytes = 48

    public static func of(_ event: CloudEvent) -> String {
        switch event.data {
        case let .camera(data):
            let camera = data.camera
            return join([camera.region, camera.district, camera.schoolBin ?? camera.school, camera.id, data.to.rawValue])
        case let .group(data):
            let subject: String
            switch data.level {
            case .host: subject = "host_" + data.name
            case .school: subject = "school"
            case .prober: subject = "prober_" + data.name
            }
            let school = data.level == .school ? data.name : data.school
            return join([data.region ?? "_", data.district ?? "_", school ?? "_", subject, data.state.rawValue])
        case .snapshot:
            return join(["_", "_", "_", "snapshot", "all"])
        case let .heartbeat(data):
            return join(["_", "_", "_", "prober_" + data.instance, "heartbeat"])
        case let .schedule(data):
            return join(["_", "_", "_", "prober_" + data.instance, "schedule_" + data.state.rawValue])
        }
    }

    static func join(_ segments: [String]) -> String {
        let key = segments.map(sanitise).joined(separator: ".")
        return key.utf8.count <= maxBytes ? key : String(decoding: key.utf8.prefix(maxBytes), as: UTF8.self)
    }

    /// One segment: see the type's documentation.
    public static func sanitise(_ segment: String) -> String {
        var out = ""
        var lastWasUnderscore = false
        for character in segment.lowercased() {
            if character.isLetter || character.isNumber || character == "-" {
                out.append(character)
                lastWasUnderscore = false
            } else if !lastWasUnderscore {
                out.append("_")
                lastWasUnderscore = true
            }
        }
        if out.isEmpty { out = "_" }
        var cut = ""
        for character in out {
            if cut.utf8.count + String(character).utf8.count > segmentBytes { break }
            cut.append(character)
        }
        return cut
    }
}

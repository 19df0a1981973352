/// Which inventory cameras an operator asked for: one camera, a school (by
/// name or BIN) or a region. Names compare without regard to case, so
/// "школа-лицей №27" finds "Школа-лицей №27".
public enum CameraSelector: Sendable, Equatable {
    case camera(String)
    case school(String)
    case region(String)

    public func select(from cameras: [Camera]) -> [Camera] {
        switch self {
        case .camera(let id):
            return cameras.filter { $0.id == id }
        case .school(let nameOrBIN):
            let wanted = Self.folded(nameOrBIN)
            return cameras.filter { $0.school.bin == nameOrBIN || Self.folded($0.school.name) == wanted }
        case .region(let name):
            let wanted = Self.folded(name)
            return cameras.filter { Self.folded($0.region) == wanted }
        }
    }

    /// What was asked for, for "no camera matches …" messages.
    public var description: String {
        switch self {
        case .camera(let id): return "camera id '\(id)'"
        case .school(let name): return "school '\(name)'"
        case .region(let name): return "region '\(name)'"
        }
    }

    static func folded(_ text: String) -> String {
        text.trimmingWhitespace().lowercased()
    }
}

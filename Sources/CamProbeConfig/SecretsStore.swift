import CamProbeCore

/// Camera credentials by name, as the inventory's `credentials:` refers to them.
///
/// Nothing it prints (`description`, `dump`) shows a username or password.
public struct SecretsStore: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    private var entries: [String: Credentials]

    public init(_ entries: [String: Credentials] = [:]) {
        self.entries = entries
    }

    public subscript(name: String) -> Credentials? { entries[name] }

    /// The names, sorted.
    public var names: [String] { entries.keys.sorted() }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public var description: String { "SecretsStore(\(names.joined(separator: ", ")))" }
    public var customMirror: Mirror { Mirror(self, children: ["names": names], displayStyle: .struct) }
}

import Yams

/// The one strict reader of YAML mappings, for every file of the configuration
/// (config, profiles, inventory, secrets).
///
/// Created over a node with the keys it allows, it reports at once a node that
/// is not a mapping and every unknown key (naming the allowed ones). Its typed
/// accessors report a wrong type, a missing required key or a value out of
/// range, each at the line and column of the value, and return nil then: the
/// caller goes on, so one pass finds every problem.
struct YAMLMapping {
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    let path: String
    /// The mapping's own node (its position is where "missing key" points).
    let node: Node
    /// What this mapping is, for messages: `camera`, `probe`, `profile 'x'`.
    let what: String
    /// Every key, in file order (unknown ones included).
    let entries: [Entry]
    let log: DiagnosticLog
    private let index: [String: Int]

    /// - Parameters:
    ///   - allowed: the keys it may hold, in the order messages list them; nil for
    ///     a mapping of names (profiles, secrets, channel locations).
    ///   - nameUnknownKeys: false where a stray key might be a secret (a
    ///     password written one level too deep in the secrets file).
    init?(
        _ node: Node, path: String, what: String, allowed: [String]?, log: DiagnosticLog,
        nameUnknownKeys: Bool = true
    ) {
        guard case let .mapping(mapping) = node else {
            log.add(path, node.location, .wrongType, "\(what): expected a mapping of keys to values, found \(node.kindName)")
            return nil
        }
        self.path = path
        self.node = node
        self.what = what
        self.log = log
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        for (keyNode, value) in mapping {
            guard case let .scalar(scalar) = keyNode else {
                log.add(path, keyNode.location, .wrongType, "\(what): a key must be a single name, found \(keyNode.kindName)")
                continue
            }
            let key = scalar.string
            if let allowed, !allowed.contains(key) {
                let list = allowed.joined(separator: ", ")
                let message = nameUnknownKeys
                    ? "unknown key '\(key)' in \(what) (allowed: \(list))"
                    : "unknown key in \(what) (allowed: \(list))"
                log.add(path, keyNode.location, .unknownKey, message)
                continue
            }
            index[key] = entries.count
            entries.append(Entry(key: key, keyNode: keyNode, value: value))
        }
        self.entries = entries
        self.index = index
    }

    // MARK: Presence and positions

    /// The value of `key`, nil when absent or written as null (`key:` or `key: ~`).
    func value(_ key: String) -> Node? {
        guard let i = index[key], !entries[i].value.isNull else { return nil }
        return entries[i].value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    /// Where to point for a problem with `key`: its value, else the mapping.
    func location(_ key: String?) -> Diagnostic.Location {
        guard let key, let i = index[key] else { return node.location }
        return entries[i].value.location
    }

    func report(_ key: String?, _ code: Diagnostic.Code, _ message: String) {
        log.add(path, location(key), code, message)
    }

    func report(at node: Node, _ code: Diagnostic.Code, _ message: String) {
        log.add(path, node.location, code, message)
    }

    /// `inventory.yaml:12:7`, for "first defined at" messages.
    func position(_ key: String?) -> String {
        Diagnostic(path: path, location: location(key), code: .syntax, message: "").position
    }

    private func missing(_ key: String) {
        report(nil, .missingKey, "missing key '\(key)' in \(what)")
    }

    private func wrongType(_ key: String, _ node: Node, expected: String) {
        let found = node.plainScalar.map { "'\($0)'" } ?? node.kindName
        report(at: node, .wrongType, "\(key): expected \(expected), found \(found)")
    }

    // MARK: Typed values

    /// Any single value, as written (`school_bin: 012345678901` keeps its zero).
    /// An empty value counts as absent.
    func string(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard case let .scalar(scalar) = node else {
            report(at: node, .wrongType, "\(key): expected a single value, found \(node.kindName)")
            return nil
        }
        let text = scalar.string.trimmed
        if text.isEmpty {
            if required { report(key, .invalidValue, "\(key) must not be empty") }
            return nil
        }
        return text
    }

    func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard let text = node.plainScalar, let number = Int(text.replacing("_", with: "")) else {
            wrongType(key, node, expected: "a whole number")
            return nil
        }
        if let range, !range.contains(number) {
            report(at: node, .invalidValue, "\(key) must be from \(range.lowerBound) to \(range.upperBound) (got \(number))")
            return nil
        }
        return number
    }

    /// A finite number (`.inf` and `.nan` are not thresholds).
    func number(_ key: String, required: Bool = false) -> Double? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard let text = node.plainScalar, let number = Double(text.replacing("_", with: "")), number.isFinite else {
            wrongType(key, node, expected: "a number")
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        switch node.plainScalar?.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            wrongType(key, node, expected: "true or false")
            return nil
        }
    }

    /// `on`/`off` (YAML 1.1 reads them as booleans; `true`/`false` are accepted too).
    func onOff(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        switch node.plainScalar?.lowercased() {
        case "on", "true", "yes": return true
        case "off", "false", "no": return false
        default:
            wrongType(key, node, expected: "on or off")
            return nil
        }
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> E?
    where E.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        guard let value = E(rawValue: text.lowercased()) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            report(key, .invalidValue, "\(key) must be one of \(allowed) (got '\(text)')")
            return nil
        }
        return value
    }

    func list(_ key: String, required: Bool = false) -> [Node]? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard case let .sequence(sequence) = node else {
            report(at: node, .wrongType, "\(key): expected a list, found \(node.kindName)")
            return nil
        }
        return Array(sequence)
    }

    func mapping(_ key: String, what: String, allowed: [String]?, nameUnknownKeys: Bool = true) -> YAMLMapping? {
        guard let node = value(key) else { return nil }
        return YAMLMapping(node, path: path, what: what, allowed: allowed, log: log, nameUnknownKeys: nameUnknownKeys)
    }
}

extension String {
    /// Without leading and trailing white space (spreadsheet cells often have some).
    var trimmed: String {
        // Most cells start and end with a visible ASCII character: nothing to trim.
        if let first = utf8.first, let last = utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}

import Yams

/// A YAML file composed into Yams nodes, each of which carries its line and column.
struct YAMLDocument {
    let path: String
    /// nil for an empty file.
    let root: Node?

    /// Reads and composes the file. A problem is logged and gives nil.
    ///
    /// Syntax errors are reported by position and libyaml's problem only, never
    /// with the offending line's text (Yams' own description quotes it): the file
    /// may be the secrets file.
    static func load(path: String, log: DiagnosticLog) -> YAMLDocument? {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.contents(of: path)
        } catch {
            log.add(path, .file, .unreadable, "cannot read the file: \(error.reason)")
            return nil
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            log.add(path, .file, .unreadable, "the file is not UTF-8 text")
            return nil
        }
        return parse(text, path: path, log: log)
    }

    static func parse(_ text: String, path: String, log: DiagnosticLog) -> YAMLDocument? {
        do {
            return YAMLDocument(path: path, root: try Yams.compose(yaml: text))
        } catch let error as YamlError {
            let (location, message) = describe(error)
            log.add(path, location, error.isDuplicateKey ? .duplicateKey : .syntax, message)
        } catch {
            log.add(path, .file, .syntax, "not valid YAML")
        }
        return nil
    }

    private static func describe(_ error: YamlError) -> (Diagnostic.Location, String) {
        func at(_ mark: Mark) -> Diagnostic.Location { .yaml(line: mark.line, column: mark.column) }
        func withContext(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return "YAML syntax: \(problem)" }
            return "YAML syntax: \(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            return (at(mark), withContext(context, problem))
        case let .reader(problem, _, _, _):
            return (.file, "YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return (at(context.mark), "key \(keys) is written more than once in this mapping")
        default:
            return (.file, "not valid YAML")
        }
    }
}

extension YamlError {
    fileprivate var isDuplicateKey: Bool {
        if case .duplicatedKeysInMapping = self { return true }
        return false
    }
}

extension Node {
    /// Position for a diagnostic (libyaml's marks are 1-based).
    var location: Diagnostic.Location {
        guard let mark else { return .yaml(line: 1, column: 1) }
        return .yaml(line: mark.line, column: mark.column)
    }

    /// `~`, `null` or nothing, written plainly.
    var isNull: Bool {
        guard case let .scalar(scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What the node is, for "expected …, found …" messages. A scalar's text is
    /// not shown: it may be a secret.
    var kindName: String {
        switch self {
        case .scalar: isNull ? "nothing" : "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A scalar written plainly (not quoted): only those are numbers and booleans.
    var plainScalar: String? {
        guard case let .scalar(scalar) = self, scalar.style == .plain || scalar.style == .any else { return nil }
        return scalar.string
    }
}

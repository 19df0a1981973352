/// One problem found in the configuration, as one line for an operator:
///
/// - `path:line:column: message` in a YAML file;
/// - `path:row N, column NAME: message` in a CSV file, where N is the record's
///   number counting the header as row 1 (a spreadsheet's row number; a quoted
///   field spanning lines is still one row);
/// - `path: message` about a file as a whole.
///
/// Messages never contain a secret: URLs appear only redacted, secret values never.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Location: Sendable, Hashable {
        case file
        case yaml(line: Int, column: Int)
        /// `column` is nil for a problem with the whole row.
        case csv(row: Int, column: String?)
    }

    /// Stable kinds of problem, for tests and tools; the message explains.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The file cannot be read, or is not valid YAML/CSV/UTF-8.
        case unreadable
        case syntax
        case unknownKey = "unknown_key"
        case missingKey = "missing_key"
        case duplicateKey = "duplicate_key"
        case wrongType = "wrong_type"
        case invalidValue = "invalid_value"
        case invalidBIN = "invalid_bin"
        case invalidURL = "invalid_url"
        case credentialsInURL = "credentials_in_url"
        case duplicateID = "duplicate_id"
        case unknownProfile = "unknown_profile"
        case profileCycle = "profile_cycle"
        case impossibleThreshold = "impossible_threshold"
        case missingSecret = "missing_secret"
        case insecureSecrets = "insecure_secrets"
    }

    /// The file, as the operator named it (relative paths joined to the config's directory).
    public var path: String
    public var location: Location
    public var code: Code
    public var message: String

    /// Line breaks and other control characters in `message` (a CSV cell may
    /// hold them) are written as escapes: a diagnostic is always one line.
    public init(path: String, location: Location, code: Code, message: String) {
        self.path = path
        self.location = location
        self.code = code
        self.message = Self.oneLine(message)
    }

    private static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.properties.generalCategory == .control:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Where, as the line's prefix: `inventory.yaml:12:7`, `schools.csv:row 5, column url`.
    public var position: String {
        switch location {
        case .file: path
        case let .yaml(line, column): "\(path):\(line):\(column)"
        case let .csv(row, column?): "\(path):row \(row), column \(column)"
        case let .csv(row, nil): "\(path):row \(row)"
        }
    }

    public var description: String { "\(position): \(message)" }
}

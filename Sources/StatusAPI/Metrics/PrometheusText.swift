/// Pieces of the Prometheus text exposition format (0.0.4) for the series
/// CamProbe writes itself.
enum PrometheusText {
    /// `{name="value",…}` with values escaped as the format requires: backslash,
    /// double quote and line feed.
    static func labels(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func header(_ name: String, type: String, help: String, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n".utf8)
    }

    static func sample(_ name: String, _ labels: String, _ value: Double, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: name.utf8)
        buffer.append(contentsOf: labels.utf8)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: value.description.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }
}

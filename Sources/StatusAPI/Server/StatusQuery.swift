import CamProbeCore
import Foundation

/// The query string of one status request, decoded strictly: an unknown
/// parameter, a repeated one, an empty value or a value outside its set is a
/// `400 bad_parameter` that names the parameter — a typo must not look like
/// "no camera matches".
struct StatusQuery {
    /// The filters every listing accepts, in the order error messages list them.
    static let filterNames = ["state", "reason", "region", "district", "school", "host"]

    private let values: [String: String]

    /// `+` is a space and `%XX` a byte of UTF-8, as HTML forms and
    /// `curl --data-urlencode` write them.
    init(_ rawQuery: String?, allowed: [String]) throws(StatusAPIError) {
        var values: [String: String] = [:]
        for item in (rawQuery ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], what: "parameter name")
            guard allowed.contains(name) else {
                let list = allowed.isEmpty ? "this endpoint takes none" : "allowed: \(allowed.joined(separator: ", "))"
                throw .badParameter("unknown query parameter '\(Self.clipped(name))' (\(list))")
            }
            guard values[name] == nil else { throw .badParameter("parameter '\(name)' is given more than once") }
            let value = parts.count > 1 ? try Self.decode(parts[1], what: "parameter '\(name)'") : ""
            guard !value.isEmpty else { throw .badParameter("parameter '\(name)' needs a value") }
            values[name] = value
        }
        self.values = values
    }

    /// The parameters given, decoded.
    var parameters: [String: String] { values }

    func filter() throws(StatusAPIError) -> CameraFilter {
        var filter = CameraFilter(
            reason: values["reason"], region: values["region"], district: values["district"],
            school: values["school"], host: values["host"])
        if let text = values["state"] {
            guard let state = MonitorState(rawValue: text) else {
                throw .badParameter(Self.notOneOf("state", text, MonitorState.allCases.map(\.rawValue)))
            }
            filter.state = state
        }
        if let reason = filter.reason, !Self.isReasonCode(reason) {
            throw .badParameter("parameter 'reason': '\(Self.clipped(reason))' is not a reason code (like picture.frozen)")
        }
        return filter
    }

    /// The parameters of `/v1/events`.
    static let eventNames = ["after", "limit", "subject", "type"]

    func events() throws(StatusAPIError) -> EventQuery {
        var query = EventQuery(subject: values["subject"], type: values["type"])
        if let text = values["after"] {
            guard let after = Int64(text), after >= 0 else {
                throw .badParameter("parameter 'after': '\(Self.clipped(text))' is not an event sequence number (0 or more)")
            }
            query.after = after
        }
        if let text = values["limit"] {
            guard let limit = Int(text), (1...EventQuery.maxLimit).contains(limit) else {
                throw .badParameter("parameter 'limit' must be from 1 to \(EventQuery.maxLimit) (got '\(Self.clipped(text))')")
            }
            query.limit = limit
        }
        if let type = query.type, EventType(rawValue: type) == nil {
            throw .badParameter(Self.notOneOf("type", type, EventType.allCases.map(\.rawValue)))
        }
        return query
    }

    func level(default level: SummaryRow.Level) throws(StatusAPIError) -> SummaryRow.Level {
        guard let text = values["by"] else { return level }
        guard let level = SummaryRow.Level(rawValue: text) else {
            throw .badParameter(Self.notOneOf("by", text, SummaryRow.Level.allCases.map(\.rawValue)))
        }
        return level
    }

    private static func decode(_ text: Substring, what: String) throws(StatusAPIError) -> String {
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
            throw .badParameter("\(what) is not valid percent-encoded UTF-8")
        }
        return decoded
    }

    private static func notOneOf(_ name: String, _ value: String, _ allowed: [String]) -> String {
        "parameter '\(name)': '\(clipped(value))' is not one of \(allowed.joined(separator: ", "))"
    }

    /// `picture.frozen`, `probe.timeout.connect`: lowercase words joined by dots.
    private static func isReasonCode(_ text: String) -> Bool {
        text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2E }
            && !text.hasPrefix(".") && !text.hasSuffix(".") && !text.contains("..")
    }

    /// Echoes of what the client sent stay short.
    private static func clipped(_ text: String) -> String {
        text.count > 64 ? String(text.prefix(64)) + "…" : text
    }
}

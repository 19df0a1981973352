import CamProbeCore
import Foundation

/// One request of the status API: the same value whether the answer is printed
/// as JSON or decoded into a table.
public struct StatusRequest: Sendable, Equatable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var method: Method
    /// Path segments after the root, unencoded: `["v1", "cameras", id]`.
    public var segments: [String]
    /// Query parameters, unencoded, in order.
    public var query: [(name: String, value: String)]

    public init(_ method: Method, _ segments: [String], query: [(name: String, value: String)] = []) {
        self.method = method
        self.segments = segments
        self.query = query
    }

    public static func cameras(_ filter: CameraFilter = CameraFilter()) -> Self {
        Self(.get, ["v1", "cameras"], query: filter.queryItems)
    }

    public static func camera(_ id: String) -> Self {
        Self(.get, ["v1", "cameras", id])
    }

    public static func summary(by level: SummaryRow.Level, _ filter: CameraFilter = CameraFilter()) -> Self {
        Self(.get, ["v1", "summary"], query: [("by", level.rawValue)] + filter.queryItems)
    }

    public static func probe(_ id: String) -> Self {
        Self(.post, ["v1", "cameras", id, "probe"])
    }

    public static func events(_ query: EventQuery) -> Self {
        var items: [(name: String, value: String)] = [("after", String(query.after)), ("limit", String(query.limit))]
        if let subject = query.subject { items.append(("subject", subject)) }
        if let type = query.type { items.append(("type", type)) }
        return Self(.get, ["v1", "events"], query: items)
    }

    public static let reload = Self(.post, ["v1", "reload"])
    public static let health = Self(.get, ["v1", "health"])

    /// The request target: each segment and parameter percent-encoded as UTF-8.
    public var target: String {
        var target = "/" + segments.map(Self.encode).joined(separator: "/")
        if !query.isEmpty {
            target += "?" + query.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
        }
        return target
    }

    /// RFC 3986's unreserved characters stay; everything else is `%XX`.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.method == b.method && a.segments == b.segments && a.query.elementsEqual(b.query, by: ==)
    }
}

extension CameraFilter {
    /// The filter as query parameters, in the API's order; unset filters are left out.
    public var queryItems: [(name: String, value: String)] {
        let items: [(String, String?)] = [
            ("state", state?.rawValue), ("reason", reason), ("region", region), ("district", district),
            ("school", school), ("host", host),
        ]
        return items.compactMap { name, value in value.map { (name, $0) } }
    }
}

/// Which events a client asks for: a page after `after`, optionally about one
/// subject (camera id, host…) or of one type.
public struct EventQuery: Sendable, Equatable {
    public var after: Int64
    public var limit: Int
    public var subject: String?
    public var type: String?

    public static let maxLimit = 1000

    public init(after: Int64 = 0, limit: Int = 100, subject: String? = nil, type: String? = nil) {
        self.after = after
        self.limit = limit
        self.subject = subject
        self.type = type
    }
}

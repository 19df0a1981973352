import Foundation

/// How long the state database keeps transition history.
///
/// The default, 400 days, is a school year plus a margin: the longest period an
/// availability report is asked for is a whole year (an academic year,
/// 1 September – 31 August, or a calendar year), and a contractor's SLA is
/// disputed after the year closes, so the year must still be computable in
/// full a month or so later. 365 + 35 days covers both.
///
/// The history is what grows: at a few transitions per camera per day, 1,000
/// cameras keep a few hundred thousand rows (tens of MB). The current-state
/// table is bounded by the inventory (``StateStore/prune(keepingCameras:at:)``).
public struct RetentionPolicy: Sendable, Equatable, Codable {
    /// Days of transition history kept (at least 1).
    public let historyDays: Int

    /// 400 days (see the type's documentation).
    public static let `default` = RetentionPolicy(validatedDays: 400)

    /// Nil unless `historyDays ≥ 1`.
    public init?(historyDays: Int) {
        guard historyDays >= 1 else { return nil }
        self.historyDays = historyDays
    }

    private init(validatedDays: Int) {
        historyDays = validatedDays
    }

    /// Transitions before this instant may go (the last one per camera stays;
    /// see ``StateStore/prune(olderThan:)``).
    public func cutoff(now: Date) -> Date {
        now.addingTimeInterval(-Double(historyDays) * 86_400)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let days = try container.decode(Int.self, forKey: .historyDays)
        guard days >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .historyDays, in: container, debugDescription: "history must be kept at least 1 day")
        }
        historyDays = days
    }
}

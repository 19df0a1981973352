import CamProbeCore

/// One row of `GET /v1/summary` (a region, district or school), or the total
/// over all rows: counts and the shares an inspection reports.
///
/// Percentages are of the cameras with a known state (`cameras - unknown`):
/// a camera not yet probed is neither working nor broken. They are rounded to
/// one decimal; the counts are exact.
public struct SummaryEntry: Sendable, Codable, Equatable {
    /// The region, district or school name; absent on the total.
    public var name: String?
    /// The region of a district or school row.
    public var region: String?
    /// The district of a school row.
    public var district: String?
    public var cameras: Int
    public var up: Int
    public var degraded: Int
    public var down: Int
    public var unknown: Int
    public var upPercent: Double
    public var degradedPercent: Double
    public var downPercent: Double
    /// Degraded or down: the share that does not work or does not comply.
    public var notUpPercent: Double

    public init(_ row: SummaryRow, named: Bool = true) {
        name = named ? row.name : nil
        region = named ? row.region : nil
        district = named ? row.district : nil
        cameras = row.cameras
        up = row.up
        degraded = row.degraded
        down = row.down
        unknown = row.unknown
        upPercent = Self.rounded(row.percent(row.up))
        degradedPercent = Self.rounded(row.percent(row.degraded))
        downPercent = Self.rounded(row.percent(row.down))
        notUpPercent = Self.rounded(row.percent(row.degraded + row.down))
    }

    /// One decimal, as inspection reports give them (82.3%).
    static func rounded(_ percent: Double) -> Double {
        (percent * 10).rounded() / 10
    }
}

import CamProbeCore

/// The body of `GET /v1/summary`: one entry per region, district or school
/// (`by`), sorted by region, district and name, and the total over them.
public struct SummaryDocument: Sendable, Codable, Equatable {
    public var by: SummaryRow.Level
    public var total: SummaryEntry
    public var rows: [SummaryEntry]

    public init(by level: SummaryRow.Level, rows: [SummaryRow]) {
        by = level
        var total = SummaryRow(level: level, name: "")
        for row in rows {
            total.cameras += row.cameras
            total.up += row.up
            total.degraded += row.degraded
            total.down += row.down
            total.unknown += row.unknown
        }
        self.total = SummaryEntry(total, named: false)
        self.rows = rows.map { SummaryEntry($0) }
    }
}

import CamProbeCore
import Foundation
import GRDB

extension StateStore {
    /// Keeps `measurement` as its recorder's last one.
    public func saveArchive(_ measurement: ArchiveMeasurement) throws(StateStoreError) {
        let body: String
        do {
            body = String(decoding: try StoredValue.encoder().encode(measurement), as: UTF8.self)
        } catch {
            throw StateStore.failure(.writeFailed, path: path, error)
        }
        try writing { db in
            try db.execute(
                sql: """
                    INSERT INTO archive_measurement (recorder, measured_at, source, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT (recorder) DO UPDATE SET measured_at = excluded.measured_at, source = excluded.source,
                        body = excluded.body
                    """,
                arguments: [measurement.recorder, StoredValue.milliseconds(measurement.measuredAt), measurement.source?.rawValue, body])
        }
    }

    /// Every recorder's last measurement, by recorder id.
    public func archives() throws(StateStoreError) -> [String: ArchiveMeasurement] {
        let rows = try reading { db in try Row.fetchAll(db, sql: "SELECT recorder, body FROM archive_measurement") }
        let decoder = StoredValue.decoder()
        var result: [String: ArchiveMeasurement] = [:]
        for row in rows {
            let recorder: String = row["recorder"]
            let body: String = row["body"]
            result[recorder] = try StoredValue.decode(
                ArchiveMeasurement.self, json: body, decoder: decoder, path: path, camera: recorder, column: "body")
        }
        return result
    }

    /// Drops the measurements of recorders no longer in the inventory.
    @discardableResult
    public func pruneArchives(keepingRecorders recorders: Set<String>) throws(StateStoreError) -> Int {
        try writing { db in
            let stored = try String.fetchAll(db, sql: "SELECT recorder FROM archive_measurement")
            let gone = stored.filter { !recorders.contains($0) }
            for recorder in gone {
                try db.execute(sql: "DELETE FROM archive_measurement WHERE recorder = ?", arguments: [recorder])
            }
            return gone.count
        }
    }
}

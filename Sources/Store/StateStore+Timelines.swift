import CamProbeCore
import Foundation
import GRDB

extension StateStore {
    /// Each camera's transitions as a report needs them: its last transition at
    /// or before `from` (its state when the period began), then those inside
    /// `(from, to)`, oldest first, with their reasons. All read from one snapshot
    /// of the database with the same two range scans of the (camera, at) index as
    /// ``availabilities(cameras:from:to:now:)``; feed them to
    /// ``Availability/init(camera:transitions:from:to:now:)`` for any sub-period.
    public func timelines(cameras: some Sequence<String>, from: Date, to: Date) throws(StateStoreError) -> [String: [StateTransition]] {
        let ids = Set(cameras)
        let start = StoredValue.milliseconds(from)
        let end = StoredValue.milliseconds(to)
        let rows = try reading { db in
            var rows: [String: [Row]] = [:]
            for camera in ids {
                let boundary = try Row.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT camera, from_state, to_state, at, reasons FROM state_transition
                        WHERE camera = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1
                        """),
                    arguments: [camera, start])
                let changes = try Row.fetchAll(
                    db.cachedStatement(sql: """
                        SELECT camera, from_state, to_state, at, reasons FROM state_transition
                        WHERE camera = ? AND at > ? AND at < ? ORDER BY at, id
                        """),
                    arguments: [camera, start, end])
                rows[camera] = (boundary.map { [$0] } ?? []) + changes
            }
            return rows
        }
        var result: [String: [StateTransition]] = [:]
        result.reserveCapacity(rows.count)
        var decoded: [String: [StatusReasonText]] = [:]
        for (camera, cameraRows) in rows {
            result[camera] = try transitions(cameraRows, decoded: &decoded)
        }
        return result
    }
}

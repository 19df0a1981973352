import CamProbeCore
import Foundation
import GRDB

extension StateStore {
    /// The camera's transitions, newest first, at most `limit` of them.
    public func history(camera: String, limit: Int = 100) throws(StateStoreError) -> [StateTransition] {
        let rows = try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT camera, from_state, to_state, at, reasons FROM state_transition
                    WHERE camera = ? ORDER BY at DESC, id DESC LIMIT ?
                    """,
                arguments: [camera, max(0, limit)])
        }
        return try transitions(rows)
    }

    /// Every camera's transitions with `from ≤ at < to`, oldest first (ties in the
    /// order they were recorded).
    public func transitions(from: Date, to: Date) throws(StateStoreError) -> [StateTransition] {
        let rows = try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT camera, from_state, to_state, at, reasons FROM state_transition
                    WHERE at >= ? AND at < ? ORDER BY at, id
                    """,
                arguments: [StoredValue.milliseconds(from), StoredValue.milliseconds(to)])
        }
        return try transitions(rows)
    }

    func transitions(_ rows: [Row]) throws(StateStoreError) -> [StateTransition] {
        var decoded: [String: [StatusReasonText]] = [:]
        return try transitions(rows, decoded: &decoded)
    }

    /// `decoded`: the reasons texts already decoded (the same reasons repeat
    /// across cameras and months: each text is decoded once).
    func transitions(_ rows: [Row], decoded: inout [String: [StatusReasonText]]) throws(StateStoreError) -> [StateTransition] {
        let decoder = StoredValue.decoder()
        var result: [StateTransition] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            let camera: String = row["camera"]
            let json: String = row["reasons"]
            let reasons: [StatusReasonText]
            if let known = decoded[json] {
                reasons = known
            } else {
                reasons = try StoredValue.decode(
                    [StatusReasonText].self, json: json, decoder: decoder, path: path, camera: camera, column: "reasons")
                decoded[json] = reasons
            }
            result.append(StateTransition(
                camera: camera,
                from: try StoredValue.state(row["from_state"], path: path, camera: camera, column: "from_state"),
                to: try StoredValue.state(row["to_state"], path: path, camera: camera, column: "to_state"),
                at: StoredValue.date(milliseconds: row["at"]), reasons: reasons))
        }
        return result
    }
}

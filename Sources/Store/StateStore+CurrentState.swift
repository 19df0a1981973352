import CamProbeCore
import Foundation
import GRDB

extension StateStore {
    /// Every camera's stored row, by camera id: what the daemon restores on
    /// startup (state, reasons, last report and signature).
    public func states() throws(StateStoreError) -> [String: StoredCameraState] {
        let path = path
        let rows = try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM camera_state")
        }
        let decoder = StoredValue.decoder()
        var states: [String: StoredCameraState] = [:]
        states.reserveCapacity(rows.count)
        for row in rows {
            let state = try Self.cameraState(row, decoder: decoder, path: path)
            states[state.camera] = state
        }
        return states
    }

    /// One camera's stored row; nil when the store has none.
    public func state(camera: String) throws(StateStoreError) -> StoredCameraState? {
        let path = path
        let row = try reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM camera_state WHERE camera = ?", arguments: [camera])
        }
        guard let row else { return nil }
        return try Self.cameraState(row, decoder: StoredValue.decoder(), path: path)
    }

    /// The camera's last probe report; nil when it has none (or no row).
    public func lastReport(camera: String) throws(StateStoreError) -> ProbeReport? {
        let json = try reading { db in
            try String.fetchOne(db, sql: "SELECT last_report FROM camera_state WHERE camera = ?", arguments: [camera])
        }
        guard let json else { return nil }
        return try StoredValue.decode(
            ProbeReport.self, json: json, decoder: StoredValue.decoder(), path: path, camera: camera,
            column: "last_report")
    }

    static func cameraState(_ row: Row, decoder: JSONDecoder, path: String) throws(StateStoreError) -> StoredCameraState {
        let camera: String = row["camera"]
        let reasonsJSON: String = row["reasons"]
        let reportJSON: String? = row["last_report"]
        let signatureText: String? = row["last_signature"]
        var state = StoredCameraState(
            camera: camera,
            state: try StoredValue.state(row["state"], path: path, camera: camera, column: "state"),
            since: (row["since"] as Int64?).map { StoredValue.date(milliseconds: $0) },
            reasons: try StoredValue.decode(
                [StatusReasonText].self, json: reasonsJSON, decoder: decoder, path: path, camera: camera,
                column: "reasons"),
            affectedBy: row["affected_by"],
            flapping: (row["flapping"] as Int64) != 0,
            lastProbe: (row["last_probe"] as Int64?).map { StoredValue.date(milliseconds: $0) })
        if let reportJSON {
            state.lastReport = try StoredValue.decode(
                ProbeReport.self, json: reportJSON, decoder: decoder, path: path, camera: camera,
                column: "last_report")
        }
        if let signatureText {
            state.lastSignature = try StoredValue.signature(signatureText, path: path, camera: camera)
        }
        return state
    }
}

import CamProbeCore
import Foundation
import GRDB

extension StateStore {
    /// Writes one camera's row and, if the update has one, its transition, in one
    /// write transaction: both land or neither does.
    public func record(_ update: CameraUpdate) throws(StateStoreError) {
        try record([update])
    }

    /// Writes many cameras in ONE write transaction, in order (a camera may
    /// appear more than once; the last update wins, every transition is kept).
    ///
    /// A sweep of the fleet should come here as one batch: each transaction costs
    /// an `fsync` of the WAL, a batch costs one in all. The JSON is encoded before
    /// the writer is taken, so the transaction holds the writer only for the
    /// inserts. Any failure rolls the whole batch back.
    public func record(_ updates: [CameraUpdate]) throws(StateStoreError) {
        guard !updates.isEmpty else { return }
        let encoder = StoredValue.encoder()
        var rows: [EncodedUpdate] = []
        rows.reserveCapacity(updates.count)
        for update in updates {
            rows.append(try EncodedUpdate(update, encoder: encoder, path: path))
        }
        try writing { db in
            for row in rows {
                try row.insert(into: db)
            }
        }
    }

    /// Writes one camera's row and transition inside a transaction the caller
    /// opened with ``write(_:)``: the way to add the outbox events that describe
    /// this transition to the same transaction.
    ///
    /// ```swift
    /// try store.write { db in
    ///     try store.record(update, in: db)
    ///     try outbox.append(events, in: db)   // a later issue
    /// }
    /// ```
    public func record(_ update: CameraUpdate, in db: Database) throws {
        try EncodedUpdate(update, encoder: StoredValue.encoder(), path: path).insert(into: db)
    }
}

/// A ``CameraUpdate`` checked and turned into column values.
struct EncodedUpdate {
    var camera: String
    var state: String
    var since: Int64?
    var reasons: String
    var affectedBy: String?
    var flapping: Int64
    var lastProbe: Int64?
    var report: String?
    var signature: String?
    var transition: (from: String, to: String, at: Int64, reasons: String)?

    init(_ update: CameraUpdate, encoder: JSONEncoder, path: String) throws(StateStoreError) {
        guard !update.camera.isEmpty else {
            throw StateStoreError(code: .invalidUpdate, path: path, reason: "an update without a camera id")
        }
        camera = update.camera
        state = update.state.rawValue
        since = update.since.map(StoredValue.milliseconds)
        reasons = try StoredValue.json(update.reasons, encoder: encoder, path: path, camera: update.camera)
        affectedBy = update.affectedBy
        flapping = update.flapping ? 1 : 0
        lastProbe = update.lastProbe.map(StoredValue.milliseconds)
        if let report = update.report {
            self.report = try StoredValue.json(report, encoder: encoder, path: path, camera: update.camera)
        }
        signature = update.signature?.description
        if let transition = update.transition {
            guard transition.camera == update.camera else {
                throw StateStoreError(
                    code: .invalidUpdate, path: path,
                    reason: "camera \(update.camera): the update carries a transition of camera \(transition.camera)")
            }
            guard transition.to == update.state else {
                throw StateStoreError(
                    code: .invalidUpdate, path: path,
                    reason: "camera \(update.camera): transition to \(transition.to.rawValue) but state \(update.state.rawValue)")
            }
            self.transition = (
                transition.from.rawValue, transition.to.rawValue, StoredValue.milliseconds(transition.at),
                try StoredValue.json(transition.reasons, encoder: encoder, path: path, camera: update.camera)
            )
        }
    }

    func insert(into db: Database) throws {
        // An upsert, never INSERT OR REPLACE: REPLACE deletes the old row, which
        // would lose the kept "last probe" columns.
        try db.cachedStatement(sql: """
            INSERT INTO camera_state
                (camera, state, since, reasons, affected_by, flapping, last_probe, last_report, last_signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (camera) DO UPDATE SET
                state = excluded.state,
                since = excluded.since,
                reasons = excluded.reasons,
                affected_by = excluded.affected_by,
                flapping = excluded.flapping,
                last_probe = coalesce(excluded.last_probe, last_probe),
                last_report = coalesce(excluded.last_report, last_report),
                last_signature = coalesce(excluded.last_signature, last_signature)
            """).execute(arguments: [
                camera, state, since, reasons, affectedBy, flapping, lastProbe, report, signature,
            ])
        if let transition {
            try db.cachedStatement(sql: """
                INSERT INTO state_transition (camera, from_state, to_state, at, reasons) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [camera, transition.from, transition.to, transition.at, transition.reasons])
        }
    }
}

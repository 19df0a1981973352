import CamProbeCore
import Foundation
import GRDB

extension StateStore {
    /// Rows deleted per write transaction when pruning, so that a first prune of
    /// a large history does not hold the writer (and the daemon's state writes)
    /// for seconds.
    static let pruneChunk = 10_000

    /// Deletes the transitions older than `cutoff`, except, for each camera, its
    /// last transition before the cutoff: it says which state the camera was in
    /// at the cutoff, so availability from the cutoff on stays exact.
    ///
    /// That boundary transition is kept for cameras still in the current-state
    /// table and for cameras with later history; a removed camera's history goes
    /// entirely once all of it is older than the cutoff, so nothing stays forever.
    ///
    /// Deletes in chunks of ``pruneChunk`` rows, one transaction each (each chunk
    /// leaves a consistent history). Freed pages are reused by later inserts: the
    /// file reaches a steady size rather than shrinking.
    ///
    /// Returns the number of transitions deleted.
    @discardableResult
    public func prune(olderThan cutoff: Date) throws(StateStoreError) -> Int {
        let arguments: StatementArguments = ["cutoff": StoredValue.milliseconds(cutoff), "chunk": Self.pruneChunk]
        var deleted = 0
        while true {
            let count = try writing { db in
                try db.execute(
                    sql: """
                        DELETE FROM state_transition WHERE id IN (
                            SELECT old.id FROM state_transition old
                            WHERE old.at < :cutoff
                              AND (
                                  -- not the camera's last transition before the cutoff
                                  EXISTS (
                                      SELECT 1 FROM state_transition newer
                                      WHERE newer.camera = old.camera AND newer.at < :cutoff
                                        AND (newer.at, newer.id) > (old.at, old.id))
                                  -- or a removed camera with no history after the cutoff
                                  OR NOT (
                                      old.camera IN (SELECT camera FROM camera_state)
                                      OR EXISTS (
                                          SELECT 1 FROM state_transition later
                                          WHERE later.camera = old.camera AND later.at >= :cutoff))
                              )
                            ORDER BY old.at
                            LIMIT :chunk
                        )
                        """,
                    arguments: arguments)
                return db.changesCount
            }
            deleted += count
            if count < Self.pruneChunk { return deleted }
        }
    }

    /// Deletes the current-state rows of cameras not in `cameras` (the inventory
    /// after a load or reload), so the table is bounded by the inventory and
    /// ``states()`` does not resurrect removed cameras.
    ///
    /// A removed camera that was not `unknown` gets a transition to `unknown` at
    /// `now`, with no reasons: from then on nobody watches it, and its
    /// availability must not go on counting its last state. Its history stays
    /// until it ages out (``prune(olderThan:)``). A camera added again later
    /// starts from `unknown`. (When the outbox comes, these transitions are the
    /// ones its events describe.)
    ///
    /// The caller passes only a validated inventory: an empty set removes every
    /// camera. Returns the number of cameras removed.
    @discardableResult
    public func prune(keepingCameras cameras: Set<String>, at now: Date = Date()) throws(StateStoreError) -> Int {
        let at = StoredValue.milliseconds(now)
        return try writing { db in
            let stored = try Row.fetchAll(db, sql: "SELECT camera, state FROM camera_state")
            var removed = 0
            for row in stored {
                let camera: String = row["camera"]
                guard !cameras.contains(camera) else { continue }
                let state: String = row["state"]
                if state != MonitorState.unknown.rawValue {
                    try db.execute(
                        sql: """
                            INSERT INTO state_transition (camera, from_state, to_state, at, reasons)
                            VALUES (?, ?, ?, ?, '[]')
                            """,
                        arguments: [camera, state, MonitorState.unknown.rawValue, at])
                }
                try db.execute(sql: "DELETE FROM camera_state WHERE camera = ?", arguments: [camera])
                removed += 1
            }
            return removed
        }
    }
}

import CamProbeCore
import Foundation
import GRDB

/// The outbox: events written in the same transaction as the state they
/// describe, and the deliveries each destination still owes.
///
/// Delivery is at least once: a destination removes its row only after the
/// other side has the event (broker confirm, HTTP 2xx), so a crash between the
/// two sends it again; consumers drop duplicates by the event's id.
extension StateStore {
    /// Writes camera rows, transitions and events in ONE transaction: the
    /// events exist exactly when the state they describe does.
    ///
    /// Keeps the outbox within `limit` events by removing the oldest ones
    /// (delivered or not: the result says how many were still owed, for the
    /// caller's log line and metric). The JSON is encoded before the writer is taken.
    @discardableResult
    public func record(
        _ updates: [CameraUpdate], events: [OutboxItem], limit: Int = .max
    ) throws(StateStoreError) -> OutboxWriteResult {
        let encoder = StoredValue.encoder()
        var rows: [EncodedUpdate] = []
        for update in updates { rows.append(try EncodedUpdate(update, encoder: encoder, path: path)) }
        let encodedEvents = events.map { item in
            (item, String(decoding: item.event.json(), as: UTF8.self))
        }
        return try writing { db in
            for row in rows { try row.insert(into: db) }
            for (item, body) in encodedEvents {
                try db.cachedStatement(sql: """
                    INSERT INTO outbox_event (id, type, subject, routing_key, time, body) VALUES (?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                        item.event.id, item.event.type.rawValue, item.event.subject, item.routingKey,
                        StoredValue.milliseconds(item.event.time), body,
                    ])
                let seq = db.lastInsertedRowID
                for sink in Set(item.sinks).sorted() {
                    try db.cachedStatement(sql: "INSERT INTO outbox_delivery (sink, seq) VALUES (?, ?)")
                        .execute(arguments: [sink, seq])
                }
            }
            return try Self.trim(db, limit: limit)
        }
    }

    /// Writes events alone (snapshots, reminders), with the same guarantees.
    @discardableResult
    public func append(_ events: [OutboxItem], limit: Int = .max) throws(StateStoreError) -> OutboxWriteResult {
        try record([], events: events, limit: limit)
    }

    private static func trim(_ db: Database, limit: Int) throws -> OutboxWriteResult {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox_event") ?? 0
        var result = OutboxWriteResult(events: count)
        guard count > limit else { return result }
        let excess = count - limit
        result.trimmedUndelivered = try Int.fetchOne(db, sql: """
            SELECT count(DISTINCT d.seq) FROM outbox_delivery d
            WHERE d.seq IN (SELECT seq FROM outbox_event ORDER BY seq LIMIT ?)
            """, arguments: [excess]) ?? 0
        try db.execute(
            sql: "DELETE FROM outbox_event WHERE seq IN (SELECT seq FROM outbox_event ORDER BY seq LIMIT ?)",
            arguments: [excess])
        result.trimmed = excess
        result.events = limit
        return result
    }

    /// Events waiting for `sink` whose next attempt is due at `now`, oldest
    /// first (the order they were written: per camera, the order of its changes).
    public func pending(sink: String, limit: Int, now: Date = Date()) throws(StateStoreError) -> [PendingDelivery] {
        try reading { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.seq, e.id, e.type, e.subject, e.routing_key, e.time, e.body, d.attempts, d.last_error
                FROM outbox_delivery d JOIN outbox_event e ON e.seq = d.seq
                WHERE d.sink = ? AND d.next_attempt <= ?
                ORDER BY d.seq LIMIT ?
                """, arguments: [sink, StoredValue.milliseconds(now), limit])
            return rows.map { row in
                PendingDelivery(
                    seq: row["seq"], sink: sink, id: row["id"], type: row["type"], subject: row["subject"],
                    routingKey: row["routing_key"], time: StoredValue.date(milliseconds: row["time"]),
                    body: Array((row["body"] as String).utf8), attempts: row["attempts"], lastError: row["last_error"])
            }
        }
    }

    /// `sink` has these events: their deliveries are done.
    public func delivered(sink: String, seqs: [Int64]) throws(StateStoreError) {
        guard !seqs.isEmpty else { return }
        try writing { db in
            for seq in seqs {
                try db.cachedStatement(sql: "DELETE FROM outbox_delivery WHERE sink = ? AND seq = ?")
                    .execute(arguments: [sink, seq])
            }
        }
    }

    /// A delivery attempt failed: try again not before `next`.
    public func retryLater(sink: String, seqs: [Int64], next: Date, error: String) throws(StateStoreError) {
        guard !seqs.isEmpty else { return }
        try writing { db in
            for seq in seqs {
                try db.cachedStatement(sql: """
                    UPDATE outbox_delivery SET attempts = attempts + 1, next_attempt = ?, last_error = ?
                    WHERE sink = ? AND seq = ?
                    """).execute(arguments: [StoredValue.milliseconds(next), error, sink, seq])
            }
        }
    }

    /// Holds deliveries until `until` without counting an attempt (quiet hours).
    public func hold(sink: String, seqs: [Int64], until: Date) throws(StateStoreError) {
        guard !seqs.isEmpty else { return }
        try writing { db in
            for seq in seqs {
                try db.cachedStatement(sql: "UPDATE outbox_delivery SET next_attempt = ? WHERE sink = ? AND seq = ?")
                    .execute(arguments: [StoredValue.milliseconds(until), sink, seq])
            }
        }
    }

    /// A page of events after `seq` (exclusive), oldest first; optionally only
    /// those about `subject` or of `type`.
    public func events(
        after seq: Int64 = 0, limit: Int = 100, subject: String? = nil, type: String? = nil
    ) throws(StateStoreError) -> OutboxPage {
        let limit = max(1, min(limit, 1000))
        return try reading { db in
            var sql = "SELECT seq, body, routing_key FROM outbox_event WHERE seq > ?"
            var arguments: StatementArguments = [seq]
            if let subject {
                sql += " AND subject = ?"
                _ = arguments.append(contentsOf: [subject])
            }
            if let type {
                sql += " AND type = ?"
                _ = arguments.append(contentsOf: [type])
            }
            sql += " ORDER BY seq LIMIT ?"
            _ = arguments.append(contentsOf: [limit + 1])
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let decoder = CloudEvent.decoder()
            var entries: [OutboxPage.Entry] = []
            for row in rows.prefix(limit) {
                let seq: Int64 = row["seq"]
                let body: String = row["body"]
                let event: CloudEvent
                do {
                    event = try decoder.decode(CloudEvent.self, from: Data(body.utf8))
                } catch {
                    throw StateStoreError(code: .corruptValue, path: path, reason: "outbox event \(seq) does not decode: \(error)")
                }
                let pending = try String.fetchAll(db, sql: "SELECT sink FROM outbox_delivery WHERE seq = ? ORDER BY sink", arguments: [seq])
                entries.append(OutboxPage.Entry(seq: seq, event: event, routingKey: row["routing_key"], pending: pending))
            }
            return OutboxPage(events: entries, next: rows.count > limit ? entries.last?.seq : nil)
        }
    }

    /// Events kept and deliveries waiting per destination.
    public func outboxStats(limit: Int) throws(StateStoreError) -> OutboxStats {
        try reading { db in
            let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox_event") ?? 0
            var pending: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sink, count(*) AS n FROM outbox_delivery GROUP BY sink") {
                pending[row["sink"]] = row["n"]
            }
            return OutboxStats(events: events, pending: pending, limit: limit)
        }
    }

    /// Removes deliveries to destinations no longer configured (a route or the
    /// broker removed from the config): they would wait forever. Returns how many.
    @discardableResult
    public func dropDeliveries(except sinks: Set<String>) throws(StateStoreError) -> Int {
        try writing { db in
            let known = try String.fetchAll(db, sql: "SELECT DISTINCT sink FROM outbox_delivery")
            var dropped = 0
            for sink in known where !sinks.contains(sink) {
                try db.execute(sql: "DELETE FROM outbox_delivery WHERE sink = ?", arguments: [sink])
                dropped += db.changesCount
            }
            return dropped
        }
    }

    /// Deletes delivered events older than `cutoff` (retention), in chunks;
    /// only those of `type` when given (heartbeats age out sooner than history).
    @discardableResult
    public func pruneOutbox(olderThan cutoff: Date, type: EventType? = nil) throws(StateStoreError) -> Int {
        var deleted = 0
        while true {
            let count = try writing { db in
                try db.execute(sql: """
                    DELETE FROM outbox_event WHERE seq IN (
                        SELECT e.seq FROM outbox_event e
                        WHERE e.time < ? AND (? IS NULL OR e.type = ?)
                          AND NOT EXISTS (SELECT 1 FROM outbox_delivery d WHERE d.seq = e.seq)
                        LIMIT ?)
                    """, arguments: [StoredValue.milliseconds(cutoff), type?.rawValue, type?.rawValue, Self.pruneChunk])
                return db.changesCount
            }
            deleted += count
            if count < Self.pruneChunk { return deleted }
        }
    }
}

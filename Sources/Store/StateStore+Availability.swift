import CamProbeCore
import Foundation
import GRDB

extension StateStore {
    /// One camera's availability over `[from, to)` from its stored transitions
    /// (see ``Availability`` for the definition). Time after `now` is unknown.
    public func availability(camera: String, from: Date, to: Date, now: Date = Date()) throws(StateStoreError) -> Availability {
        try availabilities(cameras: [camera], from: from, to: to, now: now)[camera] ?? Availability(from: from, to: to)
    }

    /// The summed availability of a set of cameras (a school, a district, a
    /// region: the caller gives the camera ids from the inventory) over
    /// `[from, to)`. Every camera counts once, also when listed twice.
    public func availability(
        cameras: some Sequence<String>, from: Date, to: Date, now: Date = Date()
    ) throws(StateStoreError) -> Availability {
        let parts = try availabilities(cameras: cameras, from: from, to: to, now: now)
        return Availability.aggregate(parts.values, from: from, to: to)
    }

    /// Each camera's availability over `[from, to)`, by camera id, all read from
    /// one snapshot of the database.
    public func availabilities(
        cameras: some Sequence<String>, from: Date, to: Date, now: Date = Date()
    ) throws(StateStoreError) -> [String: Availability] {
        let ids = Set(cameras)
        let start = StoredValue.milliseconds(from)
        let end = StoredValue.milliseconds(to)
        let nowMilliseconds = StoredValue.milliseconds(now)
        let path = path
        let timelines = try reading { db in
            var timelines: [String: (boundary: TimelinePoint?, changes: [TimelinePoint])] = [:]
            for camera in ids {
                timelines[camera] = try Self.timeline(camera: camera, start: start, end: end, db: db, path: path)
            }
            return timelines
        }
        var result: [String: Availability] = [:]
        result.reserveCapacity(timelines.count)
        for (camera, timeline) in timelines {
            result[camera] = Availability(
                camera: camera, boundary: timeline.boundary, changes: timeline.changes, start: start, end: end,
                now: nowMilliseconds, from: from, to: to)
        }
        return result
    }

    /// The camera's last transition at or before `start`, and its transitions
    /// inside `(start, end)`: two range scans of the (camera, at) index.
    private static func timeline(
        camera: String, start: Int64, end: Int64, db: Database, path: String
    ) throws -> (boundary: TimelinePoint?, changes: [TimelinePoint]) {
        let boundary = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT at, to_state FROM state_transition
                WHERE camera = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1
                """),
            arguments: [camera, start]
        ).map { row in try point(row, camera: camera, path: path) }
        let changes = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT at, to_state FROM state_transition
                WHERE camera = ? AND at > ? AND at < ? ORDER BY at, id
                """),
            arguments: [camera, start, end]
        ).map { row in try point(row, camera: camera, path: path) }
        return (boundary, changes)
    }

    private static func point(_ row: Row, camera: String, path: String) throws(StateStoreError) -> TimelinePoint {
        TimelinePoint(at: row["at"], state: try StoredValue.state(row["to_state"], path: path, camera: camera, column: "to_state"))
    }
}

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
    /// one snapshot of the database (``timelines(cameras:from:to:)``).
    public func availabilities(
        cameras: some Sequence<String>, from: Date, to: Date, now: Date = Date()
    ) throws(StateStoreError) -> [String: Availability] {
        let timelines = try timelines(cameras: cameras, from: from, to: to)
        var result: [String: Availability] = [:]
        result.reserveCapacity(timelines.count)
        for (camera, transitions) in timelines {
            result[camera] = Availability(camera: camera, transitions: transitions, from: from, to: to, now: now)
        }
        return result
    }
}

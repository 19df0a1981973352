import CamProbeCore
import Foundation

extension Availability {
    /// One camera's availability over each of the consecutive periods
    /// `[bounds[i], bounds[i + 1])` (bounds ascending), its transitions (sorted
    /// by time) read once: for each period the same value as
    /// ``init(camera:transitions:from:to:now:)`` over it, in one pass instead of
    /// one per period (a month's chart by day over a region is 30 × 17,432 of them).
    public static func consecutive(camera: String, transitions: [StateTransition], bounds: [Date], now: Date) -> [Availability] {
        guard bounds.count > 1 else { return [] }
        let points = transitions.map { TimelinePoint(at: StoredValue.milliseconds($0.at), state: $0.to) }
        let instant = StoredValue.milliseconds(now)
        var result: [Availability] = []
        result.reserveCapacity(bounds.count - 1)
        var next = 0  // the first point after the period's start
        for index in 0..<(bounds.count - 1) {
            let start = StoredValue.milliseconds(bounds[index])
            let end = StoredValue.milliseconds(bounds[index + 1])
            while next < points.count, points[next].at <= start { next += 1 }
            var last = next
            while last < points.count, points[last].at < end { last += 1 }
            result.append(Availability(
                camera: camera, boundary: next > 0 ? points[next - 1] : nil, changes: Array(points[next..<last]),
                start: start, end: end, now: instant, from: bounds[index], to: bounds[index + 1]))
        }
        return result
    }
}

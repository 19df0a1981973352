import CamProbeCore
import Foundation

/// How long one camera, or a set of cameras (a school, a region), spent in each
/// published state over a period `[from, to)`, and its outages.
///
/// Definition (what an SLA report quotes):
/// - A camera's state at instant `t` is the `to` of its last transition at or
///   before `t`. Before its first recorded transition it is `unknown`: no
///   evidence, whatever the `from` of that first transition says.
/// - Time after `now` (a period reaching into the future) is `unknown`: not
///   observed yet.
/// - **Available** = `up` + `degraded` (a degraded camera records, but breaks a
///   rule). **Observed** = available + `down`. `unknown` is excluded from the
///   denominator: time nobody could judge counts neither for nor against.
/// - `ratio` = available ÷ observed; nil when nothing was observed.
/// - For a set of cameras the times are summed over cameras (camera-time): a
///   school of ten cameras with one down all day and nine up is 90 % available.
///   A camera with no transitions contributes only `unknown`.
/// - An outage is a maximal interval of `down` within the period. Instants
///   between transitions at the same millisecond do not split it.
///
/// Arithmetic is exact: times are whole milliseconds (as stored), sums are
/// integers, and the only rounding is the one division of ``ratio``.
///
/// Caveat: the history holds transitions, not heartbeats, so while the daemon
/// is stopped a camera keeps its last state. A daemon that records a transition
/// to `unknown` on shutdown (or at startup, for the gap) makes that time
/// `unknown` instead.
public struct Availability: Sendable, Equatable, Codable {
    public var from: Date
    public var to: Date
    /// Cameras counted.
    public var cameras: Int
    public var upMilliseconds: Int64
    public var degradedMilliseconds: Int64
    public var downMilliseconds: Int64
    public var unknownMilliseconds: Int64
    /// Sorted by start, then camera.
    public var outages: [Outage]

    /// Nothing counted yet: zero cameras, zero time.
    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
        cameras = 0
        upMilliseconds = 0
        degradedMilliseconds = 0
        downMilliseconds = 0
        unknownMilliseconds = 0
        outages = []
    }

    public var up: TimeInterval { Self.seconds(upMilliseconds) }
    public var degraded: TimeInterval { Self.seconds(degradedMilliseconds) }
    public var down: TimeInterval { Self.seconds(downMilliseconds) }
    public var unknown: TimeInterval { Self.seconds(unknownMilliseconds) }

    /// `up` + `degraded`.
    public var availableMilliseconds: Int64 { upMilliseconds + degradedMilliseconds }
    /// `up` + `degraded` + `down`: the denominator.
    public var observedMilliseconds: Int64 { availableMilliseconds + downMilliseconds }

    /// Available ÷ observed (0…1); nil when nothing was observed.
    public var ratio: Double? {
        observedMilliseconds > 0 ? Double(availableMilliseconds) / Double(observedMilliseconds) : nil
    }

    /// ``ratio`` in percent.
    public var percent: Double? {
        observedMilliseconds > 0 ? Double(availableMilliseconds) * 100 / Double(observedMilliseconds) : nil
    }

    /// Sums cameras' availabilities over the same period (camera-time; see the
    /// type's definition).
    public static func aggregate(_ parts: some Sequence<Availability>, from: Date, to: Date) -> Availability {
        var total = Availability(from: from, to: to)
        for part in parts { total.add(part) }
        total.outages.sort { ($0.start, $0.camera) < ($1.start, $1.camera) }
        return total
    }

    /// Adds `part`'s cameras, times and outages (unsorted) to these.
    public mutating func add(_ part: Availability) {
        cameras += part.cameras
        upMilliseconds += part.upMilliseconds
        degradedMilliseconds += part.degradedMilliseconds
        downMilliseconds += part.downMilliseconds
        unknownMilliseconds += part.unknownMilliseconds
        outages += part.outages
    }

    /// One camera's availability from its transitions (any range of them, sorted
    /// by time; ties keep their order): values in, values out, no database.
    /// Times are taken to the millisecond, as the store keeps them.
    public init(camera: String, transitions: [StateTransition], from: Date, to: Date, now: Date) {
        let start = StoredValue.milliseconds(from)
        let end = StoredValue.milliseconds(to)
        let points = transitions.map { TimelinePoint(at: StoredValue.milliseconds($0.at), state: $0.to) }
        let boundary = points.last { $0.at <= start }
        let changes = points.filter { $0.at > start && $0.at < end }
        self.init(
            camera: camera, boundary: boundary, changes: changes, start: start, end: end,
            now: StoredValue.milliseconds(now), from: from, to: to)
    }

    /// The computation, in stored milliseconds. `boundary` is the camera's last
    /// transition at or before `start`; `changes` are its transitions with
    /// `start < at < end`, in order.
    init(
        camera: String, boundary: TimelinePoint?, changes: [TimelinePoint], start: Int64, end: Int64, now: Int64,
        from: Date, to: Date
    ) {
        self.init(from: from, to: to)
        cameras = 1
        guard end > start else { return }
        // Observed up to `horizon`; after it (the future) is unknown.
        let horizon = max(start, min(end, now))
        var state = boundary?.state ?? .unknown
        let downBeforeStart = boundary.map { $0.state == .down && $0.at < start } ?? false
        var cursor = start
        var outageStart: Int64?

        func advance(to instant: Int64) {
            let length = instant - cursor
            guard length > 0 else { return }
            switch state {
            case .up: upMilliseconds += length
            case .degraded: degradedMilliseconds += length
            case .down: downMilliseconds += length
            case .unknown: unknownMilliseconds += length
            }
            if state == .down {
                if outageStart == nil { outageStart = cursor }
            } else if let began = outageStart {
                closeOutage(began: began, end: cursor, ongoing: false)
                outageStart = nil
            }
            cursor = instant
        }

        func closeOutage(began: Int64, end: Int64, ongoing: Bool) {
            outages.append(Outage(
                camera: camera,
                start: StoredValue.date(milliseconds: began),
                end: StoredValue.date(milliseconds: end),
                durationMilliseconds: end - began,
                beganBeforePeriod: began == start && downBeforeStart,
                ongoingAtEnd: ongoing))
        }

        for change in changes where change.at < horizon {
            advance(to: change.at)
            state = change.state
        }
        advance(to: horizon)
        if let began = outageStart {
            closeOutage(began: began, end: horizon, ongoing: true)
        }
        unknownMilliseconds += end - horizon
    }

    private static func seconds(_ milliseconds: Int64) -> TimeInterval {
        Double(milliseconds) / 1000
    }
}

/// One interval of `down` within an availability period.
public struct Outage: Sendable, Equatable, Codable {
    public var camera: String
    /// Clipped to the period: the period's start when the camera was already down.
    public var start: Date
    /// Clipped to the period (or to `now`).
    public var end: Date
    public var durationMilliseconds: Int64
    /// The camera was already down before the period began.
    public var beganBeforePeriod: Bool
    /// The camera was still down at the end of the period (or at `now`, when the
    /// period reaches into the future): the outage may go on.
    public var ongoingAtEnd: Bool

    public init(
        camera: String, start: Date, end: Date, durationMilliseconds: Int64, beganBeforePeriod: Bool,
        ongoingAtEnd: Bool
    ) {
        self.camera = camera
        self.start = start
        self.end = end
        self.durationMilliseconds = durationMilliseconds
        self.beganBeforePeriod = beganBeforePeriod
        self.ongoingAtEnd = ongoingAtEnd
    }

    public var duration: TimeInterval { Double(durationMilliseconds) / 1000 }
}

/// A camera entering `state` at `at` (stored milliseconds).
struct TimelinePoint: Sendable, Equatable {
    var at: Int64
    var state: MonitorState
}

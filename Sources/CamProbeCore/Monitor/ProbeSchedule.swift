/// When to probe which camera: the daemon's scheduler, as a value. It reads no
/// clock, starts nothing and sleeps nowhere; the daemon passes the time in,
/// starts what ``next(now:)`` returns, reports each end with
/// ``finished(camera:at:outcome:)`` and sleeps until ``nextWakeup(now:)``, a
/// probe's end, a request or a reload, whichever comes first.
///
/// Rhythm. Each camera's regular probes fall on a grid `phase + k × interval`
/// (see `ProbeSchedule+Phases.swift`): cameras of one interval are spread exactly evenly
/// over it, plus a little seeded jitter, so 20,000 cameras never start in a
/// sweep. A camera returns to its grid after every retry, backoff, request or
/// late start, so the spread survives outages and overloads; a probe that
/// started more than half an interval late skips the grid point it would
/// otherwise hit immediately, rather than probing twice in a row.
///
/// Time is seconds as a `Double` on one clock for the schedule's life. The
/// grid is anchored at 0 of that clock: on seconds since 1970 a restart keeps
/// every camera's slot. A daemon that wants that without following steps of
/// the wall clock reads it once at start and adds a monotonic clock's elapsed
/// time.
///
/// Limits. At most ``ProbeScheduleSettings/maxConcurrentProbes`` run at once,
/// and at most ``ProbeScheduleSettings/sessionLimit(for:)`` per host. A due
/// probe whose host is full waits, in due order, for that host's next free
/// session, without holding up other hosts.
///
/// Cost. Due probes sit in a binary heap by due time; a tick pops only what
/// starts (or waits for its host), and ``finished(camera:at:outcome:)`` is
/// O(log n). Only ``reload(_:settings:now:)`` and host-wide requests look at
/// every camera.
public struct ProbeSchedule: Sendable {
    public private(set) var settings: ProbeScheduleSettings
    private var random: any RandomNumberGenerator & Sendable

    /// Cameras by slot; a removed camera's slot is reused.
    private var entries: [Entry?] = []
    private var freeSlots: [Int] = []
    private var slotOfCamera: [String: Int] = [:]
    /// Waiting probes: requests first, then by due time. An item whose
    /// ticket is no longer its entry's is stale and skipped.
    private var queue = ScheduleHeap<QueueItem>()
    /// Every waiting probe by due time, including those waiting for their
    /// host: the lag.
    private var byDue = ScheduleHeap<DueItem>()
    /// Due probes waiting for a session on their (full) host.
    private var waitingForHost: [String: ScheduleHeap<QueueItem>] = [:]
    /// Probes under way, by camera id.
    private var running: [String: RunningProbe] = [:]
    private var sessionsInUse: [String: Int] = [:]
    private var lastTicket: UInt64 = 0

    /// A schedule for `cameras`, each first probed at its first grid point at or
    /// after `now` (so the first round is spread over one interval too). Ids
    /// are unique (the configuration loader checks); a repeated id keeps its
    /// first entry. `random` draws the jitter: seed a ``SeededRandom`` for a
    /// reproducible schedule.
    public init(
        cameras: [ScheduledCamera], settings: ProbeScheduleSettings = .default,
        random: some RandomNumberGenerator & Sendable, now: Double
    ) {
        self.settings = settings
        self.random = random
        reload(cameras, now: now)
    }

    // MARK: - Reading

    /// Cameras in the schedule.
    public var count: Int { slotOfCamera.count }
    /// Probes under way (including those of cameras a reload removed).
    public var runningCount: Int { running.count }

    /// Sessions in use on `host`.
    public func sessions(on host: String) -> Int { sessionsInUse[host] ?? 0 }

    /// When `camera`'s next probe is due; nil while it runs, or for an unknown id.
    public func nextDue(of camera: String) -> Double? {
        guard let entry = entry(camera), entry.ticket != 0 else { return nil }
        return entry.due
    }

    /// `camera`'s phase: its offset in [0, interval) on its grid.
    public func phase(of camera: String) -> Double? {
        entry(camera)?.phase
    }

    /// How many consecutive ``ScheduleOutcome/down`` outcomes `camera` has had.
    public func downStreak(of camera: String) -> Int? {
        entry(camera)?.downStreak
    }

    /// How late the most overdue waiting probe is at `now`, seconds; 0 when none
    /// is overdue. It counts probes held back by the global limit and by their
    /// host's limit alike (a request counts from when it was asked for): the
    /// scheduler lag metric.
    public func lag(now: Double) -> Double {
        guard let oldest = byDue.top else { return 0 }
        return max(0, now - oldest.due)
    }

    /// When ``next(now:)`` will next have something to start: `now` if it
    /// already has; nil if nothing can start before a probe finishes (the
    /// global limit is reached, or every queued probe waits for a full host,
    /// or the schedule is empty). The daemon sleeps until then, or until a
    /// probe finishes, a request arrives or a reload, whichever is first.
    public func nextWakeup(now: Double) -> Double? {
        guard running.count < settings.probeLimit, let first = queue.top else { return nil }
        return first.isRequest ? now : max(first.due, now)
    }

    // MARK: - Driving

    /// The probes to start at `now`, in order (requests first, then the most
    /// overdue), as far as the limits allow. Each counts as running until
    /// ``finished(camera:at:outcome:)``. Due probes whose host is full wait for
    /// it; the rest wait for the global limit.
    public mutating func next(now: Double) -> [ScheduledProbe] {
        var started: [ScheduledProbe] = []
        while running.count < settings.probeLimit, let item = queue.top {
            guard isLive(item) else {
                queue.pop()
                continue
            }
            guard item.isRequest || item.due <= now else { break }
            queue.pop()
            let host = entries[item.slot]!.camera.sessionKey
            if sessions(on: host) < settings.sessionLimit(for: host) {
                started.append(start(slot: item.slot, at: now))
            } else {
                waitingForHost[host, default: ScheduleHeap()].push(item)
            }
        }
        tidy()
        return started
    }

    /// A probe of `camera` ended at `time`: frees its sessions and schedules the
    /// camera's next probe by `outcome`. Returns when that is due; nil if the
    /// camera was not running or a reload removed it meanwhile.
    @discardableResult
    public mutating func finished(camera: String, at time: Double, outcome: ScheduleOutcome) -> Double? {
        guard let probe = running.removeValue(forKey: camera) else { return nil }
        release(host: probe.host)
        defer { tidy() }
        guard let slot = slotOfCamera[camera], var entry = entries[slot] else { return nil }
        let due: Double
        let reason: ScheduledProbe.Reason
        switch outcome {
        case .up:
            entry.downStreak = 0
            due = nextGridPoint(of: entry, startedAt: probe.startedAt, finishedAt: time)
            reason = .interval
        case .down:
            entry.downStreak += 1
            due = nextGridPoint(of: entry, startedAt: probe.startedAt, finishedAt: time)
            reason = .backoff
        case .retry(let after):
            due = time + (after.isFinite ? max(0, after) : 0)
            reason = .retry
        }
        entries[slot] = entry
        return enqueue(slot: slot, due: due + settings.jitter(using: &random), reason: reason)
    }

    /// Probes `cameras` (ids) as soon as their hosts allow, ahead of every
    /// scheduled probe. A camera already under way is not probed again: the
    /// probe in flight answers the request. Unknown ids are ignored. After the
    /// probe the camera goes back to its grid. Returns how many cameras are
    /// now waiting for a requested probe.
    @discardableResult
    public mutating func probeNow(cameras: some Sequence<String>, at now: Double) -> Int {
        var requested = 0
        for id in cameras {
            guard let slot = slotOfCamera[id], request(slot: slot, at: now) else { continue }
            requested += 1
        }
        tidy()
        return requested
    }

    /// ``probeNow(cameras:at:)`` for the cameras of `inventory` that `selector`
    /// picks: one camera, a school (by name or BIN), a region.
    @discardableResult
    public mutating func probeNow(_ selector: CameraSelector, in inventory: [Camera], at now: Double) -> Int {
        probeNow(cameras: selector.select(from: inventory).lazy.map(\.id), at: now)
    }

    /// ``probeNow(cameras:at:)`` for every camera whose ``ScheduledCamera/sessionKey``
    /// is `host` (compared without regard to case): all channels of one
    /// DVR/NVR, say. Scans the schedule once.
    @discardableResult
    public mutating func probeNow(host: String, at now: Double) -> Int {
        let wanted = host.lowercased()
        let ids = entries.compactMap { $0?.camera }.filter { $0.sessionKey.lowercased() == wanted }.map(\.id)
        return probeNow(cameras: ids.sorted(), at: now)
    }

    /// Replaces the camera set (and the settings, if given) at `now`.
    /// A camera that stays keeps its phase, next due time and backoff, so a
    /// reload starts no burst; one whose interval changed moves to a phase on
    /// its new grid and is due at the earlier of its old due time and its new
    /// grid's next point. A removed camera is dropped (a probe of it under way
    /// still holds its session until it finishes). A new camera is phased in
    /// at its first grid point at or after `now`.
    public mutating func reload(_ cameras: [ScheduledCamera], settings: ProbeScheduleSettings? = nil, now: Double) {
        if let settings { self.settings = settings }
        var seen = Set<String>()
        let cameras = cameras.filter { seen.insert($0.id).inserted }
        for (id, slot) in slotOfCamera where !seen.contains(id) {
            entries[slot] = nil
            freeSlots.append(slot)
            slotOfCamera[id] = nil
        }
        for (camera, phase) in zip(cameras, Self.phases(for: cameras)) {
            if let slot = slotOfCamera[camera.id] {
                update(slot: slot, to: camera, phase: phase, now: now)
            } else {
                add(camera, phase: phase, now: now)
            }
        }
        // Hosts and limits may have changed: waiting probes queue afresh.
        for (_, heap) in waitingForHost {
            for item in heap.elements where isLive(item) { queue.push(item) }
        }
        waitingForHost = [:]
        tidy()
    }

    // MARK: - Internals

    private struct RunningProbe: Sendable {
        /// The host whose session it holds.
        var host: String
        var startedAt: Double
    }

    private struct Entry: Sendable {
        var camera: ScheduledCamera
        var phase: Double
        var due: Double
        var reason: ScheduledProbe.Reason
        /// The ticket of its live queue item; 0 while it runs.
        var ticket: UInt64
        var downStreak: Int
    }

    /// A waiting probe in ``queue``, ordered requests first, then by due time,
    /// then first scheduled first.
    private struct QueueItem: Comparable, Sendable {
        var isRequest: Bool
        var due: Double
        var ticket: UInt64
        var slot: Int

        static func < (a: Self, b: Self) -> Bool {
            if a.isRequest != b.isRequest { return a.isRequest }
            if a.due != b.due { return a.due < b.due }
            return a.ticket < b.ticket
        }
    }

    /// A waiting probe in ``byDue``, ordered by due time only.
    private struct DueItem: Comparable, Sendable {
        var due: Double
        var ticket: UInt64
        var slot: Int

        static func < (a: Self, b: Self) -> Bool {
            a.due != b.due ? a.due < b.due : a.ticket < b.ticket
        }
    }

    private func entry(_ camera: String) -> Entry? {
        slotOfCamera[camera].flatMap { entries[$0] }
    }

    private func isLive(_ item: QueueItem) -> Bool {
        entries[item.slot]?.ticket == item.ticket
    }

    private func isLive(_ item: DueItem) -> Bool {
        entries[item.slot]?.ticket == item.ticket
    }

    /// Queues the entry's next probe, replacing any queued one (whose items go
    /// stale). Returns `due`.
    @discardableResult
    private mutating func enqueue(slot: Int, due: Double, reason: ScheduledProbe.Reason) -> Double {
        lastTicket += 1
        entries[slot]!.due = due
        entries[slot]!.reason = reason
        entries[slot]!.ticket = lastTicket
        queue.push(QueueItem(isRequest: reason == .requested, due: due, ticket: lastTicket, slot: slot))
        byDue.push(DueItem(due: due, ticket: lastTicket, slot: slot))
        return due
    }

    private mutating func start(slot: Int, at now: Double) -> ScheduledProbe {
        let entry = entries[slot]!
        entries[slot]!.ticket = 0
        running[entry.camera.id] = RunningProbe(host: entry.camera.sessionKey, startedAt: now)
        sessionsInUse[entry.camera.sessionKey, default: 0] += 1
        return ScheduledProbe(cameraID: entry.camera.id, sessionKey: entry.camera.sessionKey, due: entry.due, reason: entry.reason)
    }

    /// The first point of the entry's grid `w` intervals after the probe's
    /// start, give or take half an interval, where `w` is 1 or the backoff of
    /// its down streak; and not before the probe's end. An on-time probe keeps
    /// its rhythm; one that started over half an interval late skips the next
    /// point rather than probing again straight away.
    private func nextGridPoint(of entry: Entry, startedAt: Double, finishedAt: Double) -> Double {
        let interval = entry.camera.interval
        let wait = settings.backoffIntervals(streak: entry.downStreak, interval: interval)
        let earliest = max(startedAt + (wait - 0.5) * interval, finishedAt)
        return Self.gridPoint(atOrAfter: earliest, phase: entry.phase, interval: interval)
    }

    /// Takes one of `host`'s sessions for work outside the schedule (a recorder's
    /// archive measurement), so probes and that work together stay within the host's
    /// limit; false when the host is full. Give it back with ``returnSession(on:)``.
    public mutating func borrowSession(on host: String) -> Bool {
        let key = host.lowercased()
        guard sessions(on: key) < settings.sessionLimit(for: key) else { return false }
        sessionsInUse[key, default: 0] += 1
        return true
    }

    public mutating func returnSession(on host: String) {
        release(host: host.lowercased())
    }

    /// Frees one session on `host` and lets its first waiting probe queue again.
    private mutating func release(host: String) {
        let left = sessions(on: host) - 1
        sessionsInUse[host] = left > 0 ? left : nil
        while let item = waitingForHost[host]?.pop() {
            guard isLive(item) else { continue }
            queue.push(item)
            break
        }
        if waitingForHost[host]?.isEmpty == true { waitingForHost[host] = nil }
    }

    /// Queues a requested probe of a waiting camera; false if it is running.
    private mutating func request(slot: Int, at now: Double) -> Bool {
        guard let entry = entries[slot], entry.ticket != 0 else { return false }
        if entry.reason != .requested { enqueue(slot: slot, due: now, reason: .requested) }
        return true
    }

    private mutating func add(_ camera: ScheduledCamera, phase: Double, now: Double) {
        let slot = freeSlots.popLast() ?? entries.count
        let entry = Entry(camera: camera, phase: phase, due: 0, reason: .interval, ticket: 0, downStreak: 0)
        if slot == entries.count { entries.append(entry) } else { entries[slot] = entry }
        slotOfCamera[camera.id] = slot
        // A camera removed and added back while its probe ran is queued when it finishes.
        guard running[camera.id] == nil else { return }
        let first = Self.gridPoint(atOrAfter: now, phase: phase, interval: camera.interval)
        enqueue(slot: slot, due: first + settings.jitter(using: &random), reason: .interval)
    }

    private mutating func update(slot: Int, to camera: ScheduledCamera, phase: Double, now: Double) {
        let old = entries[slot]!
        entries[slot]!.camera = camera
        guard camera.interval != old.camera.interval else { return }
        entries[slot]!.phase = phase
        guard old.ticket != 0, old.reason != .requested else { return }
        let first = Self.gridPoint(atOrAfter: now, phase: phase, interval: camera.interval)
            + settings.jitter(using: &random)
        if first < old.due { enqueue(slot: slot, due: first, reason: .interval) }
    }

    /// Drops stale items off the heaps' tops (so ``nextWakeup(now:)`` and
    /// ``lag(now:)`` read live ones) and rebuilds a heap that stale items
    /// (from requests and reloads) have swollen to over twice the fleet.
    private mutating func tidy() {
        let bound = 2 * slotOfCamera.count + 1024
        if queue.count > bound { queue = ScheduleHeap(queue.elements.filter { isLive($0) }) }
        if byDue.count > bound { byDue = ScheduleHeap(byDue.elements.filter { isLive($0) }) }
        while let item = queue.top, !isLive(item) { queue.pop() }
        while let item = byDue.top, !isLive(item) { byDue.pop() }
    }
}

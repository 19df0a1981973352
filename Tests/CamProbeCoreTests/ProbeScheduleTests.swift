@testable import CamProbeCore
import Testing

/// Drives a ``ProbeSchedule`` on a simulated clock: starts what `next(now:)`
/// returns, ends each probe `duration` seconds later with `outcome`, and
/// records every start and the most sessions seen at once, fleet-wide and per
/// host, counted from the starts and ends themselves.
private struct Simulation {
    var schedule: ProbeSchedule
    var now: Double
    var duration: @Sendable (ScheduledProbe) -> Double = { _ in 1 }
    var outcome: @Sendable (String) -> ScheduleOutcome = { _ in .up }
    private(set) var starts: [(time: Double, probe: ScheduledProbe)] = []
    private(set) var mostRunning = 0
    private(set) var mostOnHost: [String: Int] = [:]
    private var inFlight: [(end: Double, probe: ScheduledProbe)] = []
    private var onHost: [String: Int] = [:]

    init(_ schedule: ProbeSchedule, now: Double) {
        self.schedule = schedule
        self.now = now
    }

    /// Runs until nothing more happens before `end`; the clock stops at `end`.
    mutating func run(until end: Double) {
        var steps = 0
        while steps < 1_000_000 {
            steps += 1
            startDue()
            let wake = schedule.nextWakeup(now: now) ?? .infinity
            let finish = inFlight.map(\.end).min() ?? .infinity
            let next = min(wake, finish)
            guard next <= end else { break }
            precondition(next > now || finish <= now, "the schedule asked to wake without anything to start")
            now = next
            finishDue()
        }
        now = end
    }

    mutating func startDue() {
        for probe in schedule.next(now: now) {
            starts.append((now, probe))
            inFlight.append((now + duration(probe), probe))
            onHost[probe.sessionKey, default: 0] += 1
            mostOnHost[probe.sessionKey] = max(mostOnHost[probe.sessionKey] ?? 0, onHost[probe.sessionKey]!)
            mostRunning = max(mostRunning, inFlight.count)
        }
    }

    /// Ends the probes due to end by `now`, earliest first.
    mutating func finishDue() {
        let ending = inFlight.filter { $0.end <= now }.sorted { ($0.end, $0.probe.cameraID) < ($1.end, $1.probe.cameraID) }
        inFlight.removeAll { $0.end <= now }
        for (end, probe) in ending {
            onHost[probe.sessionKey]! -= 1
            schedule.finished(camera: probe.cameraID, at: end, outcome: outcome(probe.cameraID))
        }
    }

    func starts(of camera: String) -> [Double] {
        starts.filter { $0.probe.cameraID == camera }.map(\.time)
    }

    /// Starts per `width`-second bucket of [from, to).
    func bucketCounts(from: Double, to: Double, width: Double) -> [Int] {
        var counts = [Int](repeating: 0, count: Int(((to - from) / width).rounded(.up)))
        for (time, _) in starts where time >= from && time < to {
            counts[Int((time - from) / width)] += 1
        }
        return counts
    }
}

/// `count` cameras, each its own host, at `interval`.
private func fleet(_ count: Int, prefix: String = "cam", interval: Double = 300) -> [ScheduledCamera] {
    (0..<count).map { index in
        let id = prefix + "-" + String(1000 + index).dropFirst()
        return ScheduledCamera(id: id, sessionKey: "10.0.\(index / 250).\(index % 250 + 1):554", interval: interval)
    }
}

/// The 16 channels of one DVR.
private func dvr(host: String = "10.9.0.1", channels: Int = 16, interval: Double = 300) -> [ScheduledCamera] {
    (1...channels).map { ScheduledCamera(id: "dvr-ch" + String(100 + $0).dropFirst(), sessionKey: host, interval: interval) }
}

private func schedule(
    _ cameras: [ScheduledCamera], jitter: Double = 0, seed: UInt64 = 1, now: Double = 0,
    maxConcurrentProbes: Int = 256, maxSessionsPerHost: Int = 2, sessionLimits: [String: Int] = [:]
) -> ProbeSchedule {
    ProbeSchedule(
        cameras: cameras,
        settings: ProbeScheduleSettings(
            maxConcurrentProbes: maxConcurrentProbes, maxSessionsPerHost: maxSessionsPerHost,
            sessionLimits: sessionLimits, jitter: jitter),
        random: SeededRandom(seed: seed), now: now)
}

@Suite struct ProbeScheduleTests {
    // MARK: Spread

    @Test func spread_thousandCamerasAt300s_startEvenlyPer10sBucket() {
        var simulation = Simulation(schedule(fleet(1000)), now: 0)
        simulation.run(until: 600)
        // First round and second round alike: 1000 / 30 buckets = 33⅓ each.
        for round in [0.0, 300] {
            let counts = simulation.bucketCounts(from: round, to: round + 300, width: 10)
            #expect(counts.count == 30)
            #expect(counts.reduce(0, +) == 1000)
            #expect(counts.filter { $0 == 34 }.count == 10)
            #expect(counts.filter { $0 == 33 }.count == 20)
        }
        // Every camera once per round, exactly one interval apart.
        for camera in ["cam-000", "cam-500", "cam-999"] {
            let times = simulation.starts(of: camera)
            #expect(times.count == 2)
            #expect(abs(times[1] - times[0] - 300) < 1e-9)
        }
    }

    @Test func spread_withJitter_staysWithinTightBand() {
        var simulation = Simulation(schedule(fleet(1000), jitter: 2, seed: 42), now: 0)
        simulation.run(until: 600)
        let counts = simulation.bucketCounts(from: 300, to: 600, width: 10)
        // Jitter may carry a start at either end of the window across its edge.
        #expect(abs(counts.reduce(0, +) - 1000) <= 1)
        #expect(counts.min()! >= 31)
        #expect(counts.max()! <= 36)
        // Never a burst: at most 7 starts in any one second (3⅓ on average).
        let perSecond = simulation.bucketCounts(from: 0, to: 600, width: 1)
        #expect(perSecond.max()! <= 7)
    }

    @Test func phases_areEvenAndIndependentOfOrder() throws {
        let cameras = fleet(8) + fleet(4, prefix: "slow", interval: 600)
        let forward = schedule(cameras)
        let backward = schedule(cameras.reversed())
        for camera in cameras {
            #expect(forward.phase(of: camera.id) == backward.phase(of: camera.id))
        }
        let fast = try cameras.prefix(8).map { try #require(forward.phase(of: $0.id)) }.sorted()
        #expect(fast == [18.75, 56.25, 93.75, 131.25, 168.75, 206.25, 243.75, 281.25])
        let slow = try cameras.suffix(4).map { try #require(forward.phase(of: $0.id)) }.sorted()
        #expect(slow == [75, 225, 375, 525])
    }

    @Test func phases_pinnedForKnownIDs() {
        // A change here moves every camera's slot on upgrade: make it on purpose.
        #expect(ProbeSchedule.stableHash("") == 0xEFD0_1F60_BA99_2926)
        #expect(ProbeSchedule.stableHash("dvr-ch01") == 0x52F2_67E1_1BC8_F092)
        #expect(ProbeSchedule.phases(for: dvr(channels: 4)) == [112.5, 262.5, 37.5, 187.5])
    }

    @Test func phases_ofOneDVRsChannels_areNotSideBySide() throws {
        // 16 channels among 1,000 cameras: their slots spread over the interval.
        let cameras = fleet(984) + dvr()
        let s = schedule(cameras)
        let slots = try dvr().map { try #require(s.phase(of: $0.id)) }.sorted()
        let widestGap = zip(slots.dropFirst(), slots).map { $0 - $1 }.max()!
        #expect(slots.last! - slots.first! > 200)
        #expect(widestGap < 100)
    }

    // MARK: Limits

    @Test func hostLimit_sixteenChannelDVRRequestedTogether_twoSessionsAtATime() {
        let others = fleet(20)
        var simulation = Simulation(schedule(dvr() + others), now: 0)
        simulation.duration = { _ in 4 }
        let othersDue = others.compactMap { simulation.schedule.nextDue(of: $0.id) }.filter { $0 < 40 }.sorted()
        #expect(simulation.schedule.probeNow(host: "10.9.0.1", at: 0) == 16)
        simulation.run(until: 40)
        let dvrStarts = simulation.starts.filter { $0.probe.sessionKey == "10.9.0.1" }
        #expect(dvrStarts.map(\.time) == [0, 0, 4, 4, 8, 8, 12, 12, 16, 16, 20, 20, 24, 24, 28, 28])
        #expect(dvrStarts.map(\.probe.cameraID) == dvr().map(\.id))
        #expect(dvrStarts.allSatisfy { $0.probe.reason == .requested })
        #expect(simulation.mostOnHost["10.9.0.1"] == 2)
        // The other hosts went on meanwhile, each on time: the DVR's queue held nobody up.
        let otherStarts = simulation.starts.filter { $0.probe.sessionKey != "10.9.0.1" }
        #expect(otherStarts.map(\.time) == othersDue)
        #expect(otherStarts.allSatisfy { $0.time == $0.probe.due })
    }

    @Test func hostLimit_sixteenChannelDVROverdueTogether_neverExceeded() {
        // The daemon stalled: at 400 the whole fleet is overdue at once.
        var simulation = Simulation(schedule(dvr() + fleet(100), jitter: 2, seed: 9), now: 400)
        simulation.duration = { probe in probe.sessionKey == "10.9.0.1" ? 10 : 5 }
        simulation.run(until: 3400)
        let dvrStarts = simulation.starts.filter { $0.probe.sessionKey == "10.9.0.1" }
        #expect(dvrStarts.prefix(16).map(\.time) == [400, 400, 410, 410, 420, 420, 430, 430, 440, 440, 450, 450, 460, 460, 470, 470])
        #expect(simulation.mostOnHost["10.9.0.1"] == 2)
        #expect(simulation.mostOnHost.filter { $0.key != "10.9.0.1" }.values.allSatisfy { $0 == 1 })
        #expect(simulation.mostRunning == 102)
        // Back on the grid after the first round: from then on every probe starts when due.
        // Back on the grid after the first round: from 700 on every probe is due
        // on its camera's grid (plus jitter); only the DVR's, whose slots lie
        // closer than its probes last, ever wait, and less than one probe.
        let later = simulation.starts.filter { $0.time >= 700 }
        for (time, probe) in later {
            let phase = simulation.schedule.phase(of: probe.cameraID)!
            let offset = (probe.due - phase).truncatingRemainder(dividingBy: 300)
            #expect(offset >= 0 && offset < 2)
            #expect(time - probe.due < (probe.sessionKey == "10.9.0.1" ? 10 : 1e-9))
        }
        #expect(later.filter { $0.time != $0.probe.due }.map(\.probe.cameraID).sorted() == Array(repeating: "dvr-ch02", count: 9) + Array(repeating: "dvr-ch10", count: 9))
        for camera in dvr() + fleet(100) {
            #expect((10...11).contains(simulation.starts(of: camera.id).count))
        }
    }

    @Test func hostLimit_override_allowsMoreSessionsOnOneHost() {
        var simulation = Simulation(schedule(dvr(), sessionLimits: ["10.9.0.1": 4]), now: 0)
        simulation.duration = { _ in 10 }
        simulation.schedule.probeNow(host: "10.9.0.1", at: 0)
        simulation.run(until: 35)
        #expect(simulation.starts.map(\.time) == [0, 0, 0, 0, 10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30, 30])
        #expect(simulation.mostOnHost["10.9.0.1"] == 4)
    }

    @Test func globalLimit_neverExceeded_andLagCounted() {
        let cameras = fleet(50)
        var simulation = Simulation(schedule(cameras, maxConcurrentProbes: 3), now: 0)
        simulation.duration = { _ in 10 }
        #expect(simulation.schedule.probeNow(cameras: cameras.map(\.id), at: 0) == 50)
        simulation.startDue()
        #expect(simulation.starts.count == 3)
        #expect(simulation.schedule.runningCount == 3)
        #expect(simulation.schedule.nextWakeup(now: 0) == nil)  // full: wait for a probe to end
        #expect(simulation.schedule.lag(now: 7) == 7)
        simulation.run(until: 170)
        #expect(simulation.mostRunning == 3)
        let times = simulation.starts.filter { $0.probe.reason == .requested }.map(\.time)
        #expect(times == (0..<50).map { Double($0 / 3 * 10) })
    }

    // MARK: Backoff, retry

    @Test func backoff_doublesUpToCap_thenResetsOnRecovery() throws {
        var s = schedule([ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 300)])
        #expect(s.phase(of: "cam") == 150)
        #expect(s.nextDue(of: "cam") == 150)
        // Each probe starts when due and takes one second; the outcome sets the next.
        let steps: [(outcome: ScheduleOutcome, due: Double, reason: ScheduledProbe.Reason)] = [
            (.retry(after: 30), 181, .retry),  // first failure: confirm soon
            (.down, 750, .backoff),             // 600 s after its slot at 150
            (.down, 1950, .backoff),            // 1,200 s
            (.down, 3750, .backoff),            // 1,800 s: the cap
            (.down, 5550, .backoff),            // stays at the cap
            (.up, 5850, .interval),             // recovered: 300 s again
            (.down, 6450, .backoff),            // down again: 600 s, the doubling restarts
        ]
        var now: Double = 150
        var reason = ScheduledProbe.Reason.interval
        for step in steps {
            #expect(s.next(now: now - 0.5).isEmpty)
            let probe = try #require(s.next(now: now).first)
            #expect(probe == ScheduledProbe(cameraID: "cam", sessionKey: "h:554", due: now, reason: reason))
            #expect(s.finished(camera: "cam", at: now + 1, outcome: step.outcome) == step.due)
            #expect(s.nextWakeup(now: now + 1) == step.due)
            now = step.due
            reason = step.reason
        }
        #expect(s.downStreak(of: "cam") == 1)
    }

    @Test func backoff_cameraWithIntervalAboveCap_keepsItsInterval() {
        var s = schedule([ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 3600)])
        #expect(s.next(now: 1800).count == 1)
        #expect(s.finished(camera: "cam", at: 1801, outcome: .down) == 5400)
    }

    @Test func backoffIntervals_wholeIntervalsUpToCap() {
        let settings = ProbeScheduleSettings()
        #expect((0...6).map { settings.backoffIntervals(streak: $0, interval: 300) } == [1, 2, 4, 6, 6, 6, 6])
        // 700 s: 1,400, then the 1,800 s cap rounded down to whole intervals.
        #expect((0...3).map { settings.backoffIntervals(streak: $0, interval: 700) } == [1, 2, 2, 2])
        #expect(settings.backoffIntervals(streak: Int.max, interval: 300) == 6)
        let noBackoff = ProbeScheduleSettings(backoffFactor: 0.5)
        #expect(noBackoff.backoffIntervals(streak: 3, interval: 300) == 1)
    }

    @Test func retry_comesAfterAskedDelay_thenBackOnTheGrid() {
        var s = schedule([ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 300)])
        _ = s.next(now: 150)
        #expect(s.finished(camera: "cam", at: 152, outcome: .retry(after: 30)) == 182)
        #expect(s.next(now: 182).map(\.reason) == [.retry])
        #expect(s.downStreak(of: "cam") == 0)
        // The retry found it answering: next regular slot, not 300 s after the retry.
        #expect(s.finished(camera: "cam", at: 184, outcome: .up) == 450)
    }

    @Test func lateStart_skipsTheSlotItWouldHitAtOnce() {
        var s = schedule([ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 300)])
        _ = s.next(now: 150)
        #expect(s.finished(camera: "cam", at: 151, outcome: .up) == 450)
        // Started 200 s late: the 750 slot, not the 450 one 100 s later.
        #expect(s.next(now: 650).map(\.due) == [450])
        #expect(s.lag(now: 650) == 0)
        #expect(s.finished(camera: "cam", at: 652, outcome: .up) == 1050)
    }

    @Test func shortInterval_probeLongerThanHalfOfIt_keepsEveryGridPoint() {
        var simulation = Simulation(schedule([ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 10)]), now: 0)
        simulation.duration = { _ in 6 }
        simulation.run(until: 50)
        #expect(simulation.starts(of: "cam") == [5, 15, 25, 35, 45])
    }

    // MARK: Requests

    @Test func probeNow_jumpsTheQueue_butWaitsForItsHost() throws {
        var s = schedule(dvr(channels: 3) + fleet(3), maxConcurrentProbes: 2)
        #expect(s.probeNow(host: "10.9.0.1", at: 0) == 3)
        #expect(s.next(now: 0).map(\.cameraID) == ["dvr-ch01", "dvr-ch02"])
        // At 400 every regular probe is overdue; two more requests come in.
        #expect(s.probeNow(cameras: ["dvr-ch03", "cam-002", "nope"], at: 401) == 2)
        #expect(s.next(now: 401).isEmpty)  // the global limit
        s.finished(camera: "dvr-ch01", at: 402, outcome: .up)
        #expect(s.next(now: 402) == [ScheduledProbe(cameraID: "dvr-ch03", sessionKey: "10.9.0.1", due: 0, reason: .requested)])
        s.finished(camera: "dvr-ch02", at: 403, outcome: .up)
        #expect(s.next(now: 403) == [ScheduledProbe(cameraID: "cam-002", sessionKey: "10.0.0.3:554", due: 401, reason: .requested)])
        s.finished(camera: "cam-002", at: 404, outcome: .up)
        #expect(s.next(now: 404).map(\.reason) == [.interval])
    }

    @Test func probeNow_onFullHost_otherHostsGoOn() throws {
        var s = schedule(dvr(channels: 3) + fleet(1), maxConcurrentProbes: 10)
        let due = try #require(s.nextDue(of: "cam-000"))
        #expect(s.probeNow(host: "10.9.0.1", at: 0) == 3)
        #expect(s.next(now: 0).map(\.cameraID) == ["dvr-ch01", "dvr-ch02"])
        #expect(s.nextWakeup(now: 0) == due)  // ch03 waits for a session, not for the clock
        #expect(s.next(now: due).map(\.cameraID) == ["cam-000"])
        #expect(s.lag(now: due) == due)  // the request for ch03, since 0
        s.finished(camera: "dvr-ch02", at: due + 1, outcome: .up)
        #expect(s.nextWakeup(now: due + 1) == due + 1)
        #expect(s.next(now: due + 1).map(\.cameraID) == ["dvr-ch03"])
        #expect(s.lag(now: due + 1) == 0)
    }

    @Test func probeNow_skipsRunningCameras_andCountsRepeatsOnce() {
        var s = schedule(fleet(2))
        let running = s.next(now: 300).map(\.cameraID)
        #expect(running.count == 2)
        #expect(s.probeNow(cameras: running, at: 300) == 0)
        s.finished(camera: running[0], at: 301, outcome: .up)
        #expect(s.probeNow(cameras: [running[0]], at: 302) == 1)
        #expect(s.probeNow(cameras: [running[0]], at: 303) == 1)
        #expect(s.next(now: 304).map(\.due) == [302])
    }

    @Test func probeNow_school_throughCameraSelector() {
        let school = School(name: "Школа-лицей №27", bin: "100440087793")
        let other = School(name: "Ақшәуілі орта мектебі")
        let inventory = [
            Camera(id: "a", region: "r", district: "d", school: school, mainStream: "rtsp://10.0.0.1/a", profile: "digital-main"),
            Camera(id: "b", region: "r", district: "d", school: other, mainStream: "rtsp://10.0.0.2/a", profile: "digital-main"),
            Camera(id: "c", region: "r", district: "d", school: school, mainStream: "rtsp://10.0.0.3/a", profile: "digital-main"),
        ]
        var s = schedule(inventory.map { ScheduledCamera($0, profile: .digitalMain) })
        #expect(s.probeNow(.school("100440087793"), in: inventory, at: 5) == 2)
        #expect(s.next(now: 5).map(\.cameraID) == ["a", "c"])
    }

    // MARK: Reload

    @Test func reload_keepsTimingOfStayingCameras_dropsRemoved_phasesInNew() throws {
        let before = fleet(100)
        var simulation = Simulation(schedule(before, jitter: 2, seed: 5), now: 0)
        simulation.run(until: 450)
        let staying = Array(before.dropFirst(10))
        let added = fleet(20, prefix: "new")
        let s0 = simulation.schedule
        simulation.schedule.reload(staying + added, now: 450)
        let s1 = simulation.schedule
        #expect(s1.count == 110)
        for camera in staying {
            #expect(s1.phase(of: camera.id) == s0.phase(of: camera.id))
            #expect(s1.nextDue(of: camera.id) == s0.nextDue(of: camera.id))
        }
        for camera in before.prefix(10) {
            #expect(s1.nextDue(of: camera.id) == nil)
        }
        for camera in added {
            let phase = try #require(s1.phase(of: camera.id))
            let due = try #require(s1.nextDue(of: camera.id))
            #expect(due >= 450 && due < 752)
            let offset = (due - phase).truncatingRemainder(dividingBy: 300)
            #expect(offset >= 0 && offset < 2)  // on its grid, plus jitter
        }
        simulation.run(until: 1050)
        for camera in staying + added {
            #expect(simulation.starts(of: camera.id).filter { $0 >= 450 }.count == 2)
        }
        for camera in before.prefix(10) {
            #expect(simulation.starts(of: camera.id).allSatisfy { $0 < 450 })
        }
        // No burst: 110 cameras over 300 s, never more than 8 in 10 s.
        #expect(simulation.bucketCounts(from: 450, to: 1050, width: 10).max()! <= 8)
    }

    @Test func reload_removedWhileRunning_freesItsSessionOnFinish() {
        var s = schedule(dvr(channels: 2))
        let running = s.next(now: 300).map(\.cameraID)
        #expect(running == ["dvr-ch01", "dvr-ch02"])
        s.reload([], now: 300)
        #expect(s.count == 0)
        #expect(s.sessions(on: "10.9.0.1") == 2)
        #expect(s.finished(camera: "dvr-ch01", at: 301, outcome: .up) == nil)
        #expect(s.finished(camera: "dvr-ch02", at: 301, outcome: .up) == nil)
        #expect(s.sessions(on: "10.9.0.1") == 0)
        #expect(s.runningCount == 0)
    }

    @Test func reload_removedAndAddedBackWhileRunning_isNotProbedTwiceAtOnce() {
        let camera = ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 300)
        var s = schedule([camera])
        _ = s.next(now: 150)
        s.reload([], now: 151)
        s.reload([camera], now: 152)
        #expect(s.nextDue(of: "cam") == nil)
        #expect(s.next(now: 10_000).isEmpty)
        #expect(s.finished(camera: "cam", at: 160, outcome: .up) == 450)
    }

    @Test func reload_shorterInterval_dueByTheNewGrid() {
        var s = schedule([ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 3600)])
        #expect(s.nextDue(of: "cam") == 1800)
        s.reload([ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 60)], now: 100)
        #expect(s.phase(of: "cam") == 30)
        #expect(s.nextDue(of: "cam") == 150)
        // Longer again: the earlier due time stands.
        s.reload([ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 600)], now: 110)
        #expect(s.nextDue(of: "cam") == 150)
        #expect(s.phase(of: "cam") == 300)
    }

    @Test func reload_raisedHostLimit_appliesToWaitingProbes() {
        var s = schedule(dvr(channels: 4), sessionLimits: ["10.9.0.1": 1])
        s.probeNow(host: "10.9.0.1", at: 0)
        #expect(s.next(now: 0).count == 1)
        s.reload(dvr(channels: 4), settings: ProbeScheduleSettings(maxSessionsPerHost: 3, jitter: 0), now: 1)
        #expect(s.next(now: 1).map(\.cameraID) == ["dvr-ch02", "dvr-ch03"])
    }

    // MARK: Lag, wakeup, determinism

    @Test func lag_isHowLateTheMostOverdueWaitingProbeIs() throws {
        let cameras = fleet(3)
        var s = schedule(cameras, maxConcurrentProbes: 1)
        let order = try cameras.map(\.id).sorted { try #require(s.phase(of: $0)) < #require(s.phase(of: $1)) }
        #expect(try order.map { try #require(s.nextDue(of: $0)) } == [50, 150, 250])
        #expect(s.lag(now: 40) == 0)
        #expect(s.nextWakeup(now: 40) == 50)
        #expect(s.next(now: 50).map(\.cameraID) == [order[0]])
        #expect(s.next(now: 150).isEmpty)  // the global limit holds the second back
        #expect(s.lag(now: 150) == 0)
        #expect(s.lag(now: 170) == 20)
        #expect(s.nextWakeup(now: 170) == nil)
        s.finished(camera: order[0], at: 170, outcome: .up)
        #expect(s.nextWakeup(now: 170) == 170)
        let late = try #require(s.next(now: 170).first)
        #expect(late.cameraID == order[1])
        #expect(late.due == 150)
        #expect(s.lag(now: 170) == 0)
        #expect(s.lag(now: 280) == 30)
    }

    @Test func emptySchedule_neverWakes() {
        var s = schedule([])
        #expect(s.nextWakeup(now: 0) == nil)
        #expect(s.lag(now: 0) == 0)
        #expect(s.next(now: 1e9).isEmpty)
        #expect(s.finished(camera: "ghost", at: 1, outcome: .up) == nil)
    }

    @Test func deterministic_sameSeedSameStarts_otherSeedOtherJitter() {
        func run(seed: UInt64) -> [String] {
            var simulation = Simulation(schedule(fleet(200) + dvr(), jitter: 2, seed: seed), now: 1_700_000_000)
            simulation.duration = { probe in probe.sessionKey == "10.9.0.1" ? 30 : 3 }
            simulation.outcome = { id in id.hasSuffix("7") ? .down : .up }
            simulation.run(until: 1_700_003_600)
            return simulation.starts.map { "\($0.time) \($0.probe.cameraID) \($0.probe.reason)" }
        }
        let a = run(seed: 7)
        #expect(a.count > 2000)
        #expect(a == run(seed: 7))
        #expect(a != run(seed: 8))
    }

    @Test func jitter_isDrawnFromTheInjectedGenerator() throws {
        let camera = ScheduledCamera(id: "cam", sessionKey: "h:554", interval: 300)
        let s = schedule([camera], jitter: 2, seed: 3)
        var random = SeededRandom(seed: 3)
        let expected = 150 + Double(random.next() >> 11) * 0x1p-53 * 2
        #expect(s.nextDue(of: "cam") == expected)
        #expect(try #require(s.nextDue(of: "cam")) != 150)
    }

    @Test func scheduleRandom_isSplitMix64() {
        var random = SeededRandom(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    // MARK: Cameras

    @Test func scheduledCamera_fromInventory_intervalFromOverridesThenProfile() {
        let school = School(name: "s")
        let direct = Camera(id: "a", region: "r", district: "d", school: school, mainStream: "rtsp://Cam.School.kz/live", profile: "p")
        var tuned = direct
        tuned.overrides = PolicyOverrides(interval: 120)
        let slow = PolicyProfile(name: "p", interval: 900)
        #expect(ScheduledCamera(direct, profile: slow).interval == 900)
        #expect(ScheduledCamera(tuned, profile: slow).interval == 120)
        #expect(ScheduledCamera(direct, profile: nil).interval == 300)
        #expect(ScheduledCamera(id: "x", sessionKey: "h", interval: 0).interval == 300)
        #expect(ScheduledCamera(id: "x", sessionKey: "h", interval: .nan).interval == 300)
    }

    @Test func hostKey_recorderHost_elseURLHostAndPort() {
        let school = School(name: "s")
        let recorder = Recorder(
            id: "dvr1", region: "r", district: "d", school: school, host: "10.1.2.3", port: 8554, vendor: .hikvision,
            channels: 2, profile: "analog-dvr")
        #expect(recorder.cameras().map(ScheduledCamera.sessionKey(for:)) == ["10.1.2.3", "10.1.2.3"])
        func key(_ url: String) -> String {
            ScheduledCamera.sessionKey(for: Camera(id: "c", region: "r", district: "d", school: school, mainStream: url, profile: "p"))
        }
        #expect(key("rtsp://Cam.School.kz/live") == "cam.school.kz:554")
        #expect(key("rtsp://203.0.113.7:5541/live") == "203.0.113.7:5541")
        #expect(key("rtsp://[2001:db8::1]/live") == "[2001:db8::1]:554")
        #expect(key("not a url") == "camera:c")
    }

    @Test func heap_popsInOrder() {
        var heap = ScheduleHeap([5, 3, 9, 1, 7])
        for value in [4, 8, 2, 6, 0] { heap.push(value) }
        var out: [Int] = []
        while let value = heap.pop() { out.append(value) }
        #expect(out == Array(0...9))
    }
}

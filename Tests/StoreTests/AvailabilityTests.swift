import CamProbeCore
import Foundation
@testable import Store
import Testing

@Suite("Availability from stored transitions")
struct AvailabilityTests {
    /// cam-a: up 10:00–10:30, down 10:30–10:45, up from 10:45.
    /// cam-b: up from 09:00. cam-c: never probed conclusively.
    /// cam-d (another school): degraded from 10:00, down from 10:50, never recovers.
    private func fixture() throws -> (TemporaryDirectory, StateStore) {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.record([
            change("cam-b", .unknown, .up, at: at(9)),
            change("cam-a", .unknown, .up, at: at(10)),
            change("cam-d", .unknown, .degraded, at: at(10)),
            change("cam-a", .up, .down, at: at(10, 30), reasons: [reason("probe.timeout")]),
            change("cam-a", .down, .up, at: at(10, 45)),
            change("cam-d", .degraded, .down, at: at(10, 50)),
        ])
        try store.record(CameraUpdate(camera: "cam-c", state: .unknown, since: nil))
        return (directory, store)
    }

    @Test func camera_upDownUp_isSeventyFivePercentOverTheHour() throws {
        let (_, store) = try fixture()
        let a = try store.availability(camera: "cam-a", from: at(10), to: at(11), now: at(12))
        #expect(a.upMilliseconds == 45 * minute)
        #expect(a.degradedMilliseconds == 0)
        #expect(a.downMilliseconds == 15 * minute)
        #expect(a.unknownMilliseconds == 0)
        #expect(a.ratio == 0.75)
        #expect(a.percent == 75)
        #expect(a.up == 2700 && a.down == 900)
        #expect(a.outages == [
            Outage(camera: "cam-a", start: at(10, 30), end: at(10, 45), durationMilliseconds: 15 * minute,
                   beganBeforePeriod: false, ongoingAtEnd: false),
        ])
        #expect(a.outages.first?.duration == 900)
    }

    @Test func camera_periodStartingMidOutage_countsFromThePeriodStart() throws {
        let (_, store) = try fixture()
        let a = try store.availability(camera: "cam-a", from: at(10, 40), to: at(11), now: at(12))
        #expect(a.downMilliseconds == 5 * minute)
        #expect(a.upMilliseconds == 15 * minute)
        #expect(a.percent == 75)
        #expect(a.outages == [
            Outage(camera: "cam-a", start: at(10, 40), end: at(10, 45), durationMilliseconds: 5 * minute,
                   beganBeforePeriod: true, ongoingAtEnd: false),
        ])
        // Inside the outage only.
        let inside = try store.availability(camera: "cam-a", from: at(10, 35), to: at(10, 40), now: at(12))
        #expect(inside.ratio == 0)
        #expect(inside.outages.map { [$0.beganBeforePeriod, $0.ongoingAtEnd] } == [[true, true]])
    }

    @Test func camera_beforeItsFirstTransition_isUnknownAndExcluded() throws {
        let (_, store) = try fixture()
        let a = try store.availability(camera: "cam-a", from: at(9), to: at(11), now: at(12))
        #expect(a.unknownMilliseconds == 60 * minute)
        #expect(a.observedMilliseconds == 60 * minute)
        #expect(a.percent == 75)
    }

    @Test func camera_periodReachingIntoTheFuture_countsTheFutureAsUnknown() throws {
        let (_, store) = try fixture()
        let a = try store.availability(camera: "cam-a", from: at(10), to: at(11), now: at(10, 50, 30))
        #expect(a.upMilliseconds == 35 * minute + 30_000)
        #expect(a.downMilliseconds == 15 * minute)
        #expect(a.unknownMilliseconds == 9 * minute + 30_000)
        #expect(a.availableMilliseconds * 1000 / a.observedMilliseconds == 702)  // 35.5 / 50.5 = 70.297 %
    }

    @Test func camera_ongoingOutage_endsAtThePeriodEnd() throws {
        let (_, store) = try fixture()
        let d = try store.availability(camera: "cam-d", from: at(10), to: at(11), now: at(12))
        #expect(d.degradedMilliseconds == 50 * minute)
        #expect(d.downMilliseconds == 10 * minute)
        #expect(d.availableMilliseconds == 50 * minute)  // degraded counts as available
        #expect(d.outages == [
            Outage(camera: "cam-d", start: at(10, 50), end: at(11), durationMilliseconds: 10 * minute,
                   beganBeforePeriod: false, ongoingAtEnd: true),
        ])
    }

    @Test func camera_withoutTransitions_isAllUnknown() throws {
        let (_, store) = try fixture()
        for camera in ["cam-c", "not-in-the-store"] {
            let c = try store.availability(camera: camera, from: at(10), to: at(11), now: at(12))
            #expect(c.unknownMilliseconds == 60 * minute)
            #expect(c.observedMilliseconds == 0)
            #expect(c.ratio == nil)
            #expect(c.cameras == 1)
        }
    }

    @Test func school_sumsCameraTimeAndExcludesUnknown() throws {
        let (_, store) = try fixture()
        // School 1: cam-a (45 up, 15 down), cam-b (60 up), cam-c (60 unknown).
        let school = try store.availability(cameras: ["cam-a", "cam-b", "cam-c", "cam-a"], from: at(10), to: at(11), now: at(12))
        #expect(school.cameras == 3)
        #expect(school.upMilliseconds == 105 * minute)
        #expect(school.downMilliseconds == 15 * minute)
        #expect(school.unknownMilliseconds == 60 * minute)
        #expect(school.percent == 87.5)
        #expect(school.outages.map(\.camera) == ["cam-a"])

        // The region: school 1 and cam-d's school. 105 up + 50 degraded of 180 observed.
        let region = try store.availability(cameras: ["cam-a", "cam-b", "cam-c", "cam-d"], from: at(10), to: at(11), now: at(12))
        #expect(region.cameras == 4)
        #expect(region.availableMilliseconds == 155 * minute)
        #expect(region.observedMilliseconds == 180 * minute)
        #expect(region.availableMilliseconds * 1_000_000 / region.observedMilliseconds == 861_111)
        #expect(region.outages.map(\.camera) == ["cam-a", "cam-d"])
        #expect(region.outages.map(\.start) == [at(10, 30), at(10, 50)])

        let each = try store.availabilities(cameras: ["cam-a", "cam-d"], from: at(10), to: at(11), now: at(12))
        #expect(Availability.aggregate(each.values, from: at(10), to: at(11)).downMilliseconds == 25 * minute)
        #expect(each["cam-a"]?.percent == 75)
    }

    @Test func pureComputation_matchesTheStore() throws {
        let (_, store) = try fixture()
        let history = try store.history(camera: "cam-a").reversed()
        for (from, to) in [(at(9), at(11)), (at(10, 40), at(11)), (at(10, 30), at(10, 45)), (at(11), at(12))] {
            let computed = Availability(camera: "cam-a", transitions: Array(history), from: from, to: to, now: at(12))
            #expect(computed == (try store.availability(camera: "cam-a", from: from, to: to, now: at(12))))
        }
    }

    @Test func transitionsAtTheSameInstant_doNotSplitAnOutage() {
        let transitions = [
            StateTransition(camera: "x", from: .unknown, to: .down, at: at(10), reasons: []),
            StateTransition(camera: "x", from: .down, to: .up, at: at(10, 20), reasons: []),
            StateTransition(camera: "x", from: .up, to: .down, at: at(10, 20), reasons: []),
            StateTransition(camera: "x", from: .down, to: .up, at: at(10, 40), reasons: []),
        ]
        let a = Availability(camera: "x", transitions: transitions, from: at(10), to: at(11), now: at(12))
        #expect(a.downMilliseconds == 40 * minute)
        #expect(a.outages.map(\.durationMilliseconds) == [40 * minute])
    }

    @Test func emptyOrReversedPeriod_countsNothing() throws {
        let (_, store) = try fixture()
        let a = try store.availability(camera: "cam-a", from: at(11), to: at(10), now: at(12))
        #expect(a.observedMilliseconds == 0 && a.unknownMilliseconds == 0 && a.outages.isEmpty)
    }
}

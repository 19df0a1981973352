import CamProbeCore
import Foundation
import GRDB
@testable import Store
import Testing

@Suite("Retention of the state database")
struct RetentionTests {
    @Test func pruneOlderThan_keepsTheLastTransitionBeforeTheCutoff() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.record([
            change("cam-a", .unknown, .up, at: at(day: 1, 10)),
            change("cam-a", .up, .down, at: at(day: 2, 10)),
            change("cam-a", .down, .up, at: at(day: 3, 10)),  // the boundary for a cutoff on day 5
            change("cam-a", .up, .degraded, at: at(day: 10, 10)),
            change("cam-b", .unknown, .down, at: at(day: 4, 8)),  // cam-b's only old one: kept
        ])
        let before = try store.availability(camera: "cam-a", from: at(day: 5, 0), to: at(day: 12, 0), now: at(day: 12, 0))

        #expect(try store.prune(olderThan: at(day: 5, 0)) == 2)

        #expect(try store.history(camera: "cam-a").map(\.at) == [at(day: 10, 10), at(day: 3, 10)])
        #expect(try store.history(camera: "cam-b").map(\.at) == [at(day: 4, 8)])
        let after = try store.availability(camera: "cam-a", from: at(day: 5, 0), to: at(day: 12, 0), now: at(day: 12, 0))
        #expect(after == before)
        #expect(after.upMilliseconds == (5 * 24 + 10) * 60 * minute)
        #expect(after.unknownMilliseconds == 0)
        // Pruning again removes nothing more.
        #expect(try store.prune(olderThan: at(day: 5, 0)) == 0)
    }

    @Test func pruneOlderThan_dropsRemovedCamerasOnceAllTheirHistoryIsOld() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.record([
            change("kept", .unknown, .up, at: at(day: 1, 10)),
            change("gone", .unknown, .up, at: at(day: 1, 10)),
            change("gone-late", .unknown, .up, at: at(day: 1, 10)),
        ])
        // Both removed from the inventory: gone on day 2, gone-late on day 8.
        #expect(try store.prune(keepingCameras: ["kept", "gone-late"], at: at(day: 2, 0)) == 1)
        #expect(try store.prune(keepingCameras: ["kept"], at: at(day: 8, 0)) == 1)

        // gone: up (day 1) and up→unknown (day 2) are both old: all deleted.
        // gone-late: its removal on day 8 is after the cutoff: the boundary stays.
        #expect(try store.prune(olderThan: at(day: 5, 0)) == 2)
        #expect(try store.history(camera: "gone").isEmpty)
        #expect(try store.history(camera: "gone-late").map(\.to) == [.unknown, .up])
        #expect(try store.history(camera: "kept").count == 1)
    }

    @Test func pruneOlderThan_manyChunks_deletesAll() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        let count = StateStore.pruneChunk * 2 + 5
        try store.write { db in
            for i in 0..<count {
                try store.record(change("cam-a", i % 2 == 0 ? .unknown : .up, i % 2 == 0 ? .up : .unknown,
                                        at: at(day: 1, 0, 0, i)), in: db)
            }
        }
        #expect(try store.prune(olderThan: at(day: 2, 0)) == count - 1)
        #expect(try store.history(camera: "cam-a").count == 1)
    }

    @Test func pruneKeepingCameras_removesRowsAndEndsTheirTimeline() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.record([
            change("cam-a", .unknown, .up, at: at(10)),
            change("cam-b", .unknown, .down, at: at(10)),
        ])
        try store.record(CameraUpdate(camera: "cam-c", state: .unknown, since: nil))

        #expect(try store.prune(keepingCameras: ["cam-a"], at: at(10, 30)) == 2)

        #expect(Set(try store.states().keys) == ["cam-a"])
        #expect(try store.lastReport(camera: "cam-b") == nil)
        #expect(try store.history(camera: "cam-b").first == StateTransition(
            camera: "cam-b", from: .down, to: .unknown, at: at(10, 30), reasons: []))
        #expect(try store.history(camera: "cam-c").isEmpty)  // was unknown: nothing to end
        // cam-b's outage ends at its removal; after it nobody watches.
        let b = try store.availability(camera: "cam-b", from: at(10), to: at(11), now: at(12))
        #expect(b.downMilliseconds == 30 * minute && b.unknownMilliseconds == 30 * minute)
    }
}

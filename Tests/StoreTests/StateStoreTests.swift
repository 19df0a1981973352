import CamProbeCore
import Foundation
import GRDB
@testable import Store
import Testing

@Suite("StateStore on a real SQLite file")
struct StateStoreTests {
    @Test func reopen_afterRecording_keepsStateLastReportAndHistory() throws {
        let directory = try TemporaryDirectory()
        let signature = try #require(PictureSignature(cells: (0..<PictureSignature.cellCount).map { UInt8($0 % 251) }))
        let report = sampleReport(camera: "cam-1", at: at(10, 45))
        do {
            let store = try StateStore(directory: directory.path)
            try store.record(change("cam-1", .unknown, .up, at: at(10), report: sampleReport(camera: "cam-1", at: at(10))))
            try store.record(change("cam-1", .up, .down, at: at(10, 30), reasons: [reason("probe.refused")]))
            var recovered = change("cam-1", .down, .up, at: at(10, 45), report: report)
            recovered.signature = signature
            recovered.affectedBy = "host 10.1.2.3"
            recovered.flapping = true
            try store.record(recovered)
        }

        // A new process: a new store on the same file.
        let reopened = try StateStore(directory: directory.path)
        let states = try reopened.states()
        #expect(states.count == 1)
        let state = try #require(states["cam-1"])
        #expect(state == StoredCameraState(
            camera: "cam-1", state: .up, since: at(10, 45), reasons: [], affectedBy: "host 10.1.2.3",
            flapping: true, lastProbe: at(10, 45), lastReport: report, lastSignature: signature))
        #expect(try reopened.lastReport(camera: "cam-1") == report)
        #expect(try reopened.lastReport(camera: "nobody") == nil)
        #expect(try reopened.history(camera: "cam-1", limit: 10) == [
            StateTransition(camera: "cam-1", from: .down, to: .up, at: at(10, 45), reasons: []),
            StateTransition(camera: "cam-1", from: .up, to: .down, at: at(10, 30), reasons: [reason("probe.refused")]),
            StateTransition(camera: "cam-1", from: .unknown, to: .up, at: at(10), reasons: []),
        ])
        #expect(try reopened.history(camera: "cam-1", limit: 1).map(\.at) == [at(10, 45)])
        #expect(try reopened.transitions(from: at(10, 30), to: at(10, 45)).map(\.to) == [.down])
    }

    @Test func open_setsWALJournalMode() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        let mode = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let synchronous = try store.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2)  // FULL
        #expect(store.path == directory.path + "/camprobe.sqlite")
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
    }

    @Test func write_whenBodyThrows_storesNeitherRowNorTransition() throws {
        struct Abort: Error {}
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        #expect(throws: Abort.self) {
            try store.write { db in
                try store.record(change("cam-1", .unknown, .down, at: at(10)), in: db)
                // Both were written inside the transaction…
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM state_transition") == 1)
                throw Abort()
            }
        }
        // …and both were rolled back.
        #expect(try store.states().isEmpty)
        #expect(try store.history(camera: "cam-1").isEmpty)
    }

    @Test func record_whenBatchHasAnInvalidUpdate_storesNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        var wrong = change("cam-2", .unknown, .up, at: at(10))
        wrong.state = .down  // transition to up, state down: a caller bug
        let error = #expect(throws: StateStoreError.self) {
            try store.record([change("cam-1", .unknown, .up, at: at(10)), wrong])
        }
        #expect(error?.code == .invalidUpdate)
        #expect(error?.description == "refused update of state database \(store.path): camera cam-2: transition to up but state down")
        #expect(try store.states().isEmpty)
        #expect(try store.transitions(from: at(0), to: at(23)).isEmpty)
    }

    @Test func record_withoutReport_keepsTheLastReportAndReplacesTheState() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        let report = sampleReport(camera: "cam-1", at: at(10))
        var first = change("cam-1", .unknown, .down, at: at(10), reasons: [reason("probe.refused")], report: report)
        first.affectedBy = "host 10.1.2.3"
        try store.record(first)
        // The fleet guard lifts the cover without a new probe.
        try store.record(CameraUpdate(camera: "cam-1", state: .down, since: at(10), reasons: [reason("probe.refused")]))
        let state = try #require(try store.state(camera: "cam-1"))
        #expect(state.affectedBy == nil)
        #expect(state.lastReport == report)
        #expect(state.lastProbe == at(10))
        #expect(try store.history(camera: "cam-1").count == 1)
    }

    @Test func record_fromStatus_roundTripsThroughApplied() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        let base = CameraStatus(id: "cam-1", region: "Астана", district: "Есиль", school: "Школа № 12", host: "10.1.2.3")
        var status = base
        status.state = .degraded
        status.since = at(9)
        status.reasons = [reason("resolution.below_minimum", "violation")]
        status.lastProbe = at(9)
        let report = sampleReport(camera: "cam-1", at: at(9))
        try store.record(CameraUpdate(
            status: status, report: report,
            transition: StateTransition(camera: "cam-1", from: .unknown, to: .degraded, at: at(9), reasons: status.reasons)))
        let restored = try #require(try store.state(camera: "cam-1")).applied(to: base)
        status.codec = "h264"
        status.width = 1920
        status.height = 1080
        status.frameRate = 25
        #expect(restored == status)
    }

    @Test func record_batchOf1000Cameras_isOneTransaction() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        let updates = (0..<1000).map { i in
            let camera = "cam-\(i)"
            return change(camera, .unknown, i % 10 == 0 ? .down : .up, at: at(10), report: sampleReport(camera: camera, at: at(10)))
        }
        let counter = CommitCounter()
        store.pool.add(transactionObserver: counter)

        let clock = ContinuousClock()
        let batch = try clock.measure { try store.record(updates) }
        #expect(counter.commits == 1)
        #expect(try store.states().count == 1000)
        #expect(try store.transitions(from: at(10), to: at(11)).count == 1000)

        // For comparison: 100 cameras, one transaction each.
        let singles = (0..<100).map { i in
            change("cam-\(i)", i % 10 == 0 ? .down : .up, .degraded, at: at(11), report: sampleReport(camera: "cam-\(i)", at: at(11)))
        }
        let single = try clock.measure { for update in singles { try store.record(update) } }
        #expect(counter.commits == 101)
        print("StateStore: 1,000 updates in one batch: \(batch); 100 updates one transaction each: \(single)")
    }

    @Test func open_whenStateDirectoryIsNotWritable_failsNamingThePath() throws {
        let directory = try TemporaryDirectory()
        let readOnly = directory.path + "/state"
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: readOnly)
        // Root ignores directory permissions; sysfs refuses new files even to root.
        let unwritable = access(readOnly, W_OK) == 0 ? "/sys" : readOnly
        let error = #expect(throws: StateStoreError.self) { try StateStore(directory: unwritable) }
        #expect(error?.code == .directoryUnusable)
        #expect(error?.path == unwritable)
        let line = error?.description ?? ""
        #expect(line.hasPrefix("cannot use state directory \(unwritable): it is not writable"))
        #expect(line.contains("Permission denied"))
        #expect(!line.contains("\n"))
    }

    @Test func open_whenStateDirectoryIsAFile_failsNamingThePath() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path + "/state"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let error = #expect(throws: StateStoreError.self) { try StateStore(directory: file) }
        #expect(error?.description == "cannot use state directory \(file): it exists but is not a directory")
        let below = #expect(throws: StateStoreError.self) { try StateStore(directory: file + "/deeper") }
        #expect(below?.description == "cannot use state directory \(file)/deeper: cannot create it (Not a directory)")
    }

    @Test func open_whenFileIsNotADatabase_failsNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/camprobe.sqlite"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096)))
        let error = #expect(throws: StateStoreError.self) { try StateStore(directory: directory.path) }
        #expect(error?.code == .openFailed)
        #expect(error?.description.hasPrefix("cannot open state database \(path): SQLite error 26") == true)
    }

    @Test func open_whenSchemaIsNewer_refusesTheFile() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try StateStore(directory: directory.path)
            try store.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
            }
        }
        let error = #expect(throws: StateStoreError.self) { try StateStore(directory: directory.path) }
        #expect(error?.code == .newerSchema)
    }

    @Test func open_createsMissingDirectories() throws {
        let directory = try TemporaryDirectory()
        let nested = directory.path + "/var/lib/camprobe"
        let store = try StateStore(directory: nested)
        try store.record(change("cam-1", .unknown, .up, at: at(10)))
        #expect(FileManager.default.fileExists(atPath: nested + "/camprobe.sqlite"))
    }
}

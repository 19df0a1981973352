import CamProbeCore
import Foundation
import GRDB
import Testing
@testable import Store

/// The outbox in a real SQLite file: events land with the state they describe,
/// each destination removes only what it has, pages, limits and retention.
struct OutboxTests {
    static func event(_ camera: String, _ from: MonitorState, _ to: MonitorState, at time: Date, id: String? = nil) -> CloudEvent {
        CloudEvent(
            id: id ?? UUID().uuidString.lowercased(), source: "urn:camprobe:test", time: time, subject: camera,
            data: .camera(CameraEventData(
                kind: .state,
                camera: EventCamera(id: camera, region: "R", district: "D", school: "S", schoolBin: nil, location: nil, kind: .digital, host: "h"),
                from: from, to: to, since: time, reasons: [reason("probe.refused")], alerted: true, probedAt: time,
                measured: nil)))
    }

    @Test func record_writesStateTransitionAndEventsInOneTransaction() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        let counter = CommitCounter()
        store.pool.add(transactionObserver: counter)
        let event = Self.event("cam1", .unknown, .down, at: at(8))
        try store.record([change("cam1", .unknown, .down, at: at(8))], events: [OutboxItem(event: event, sinks: ["amqp", "webhook:cou"])])
        #expect(counter.commits == 1)
        let page = try store.events()
        #expect(page.events.map(\.event.id) == [event.id])
        #expect(page.events.first?.pending == ["amqp", "webhook:cou"])
        #expect(page.events.first?.routingKey == "r.d.s.cam1.down")
        #expect(try store.history(camera: "cam1", limit: 10).count == 1)
    }

    @Test func record_whenTheUpdateIsInvalid_keepsNoEventEither() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        var bad = change("cam1", .unknown, .down, at: at(8))
        bad.transition?.camera = "other"  // inconsistent: refused
        #expect(throws: StateStoreError.self) {
            try store.record([bad], events: [OutboxItem(event: Self.event("cam1", .unknown, .down, at: at(8)), sinks: ["amqp"])])
        }
        #expect(try store.events().events.isEmpty)
        #expect(try store.outboxStats(limit: 10).pending.isEmpty)
    }

    @Test func deliveries_areRemovedPerDestinationOnlyWhenDelivered() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        let events = (0..<5).map { Self.event("cam\($0)", .up, .down, at: at(8, $0)) }
        try store.append(events.map { OutboxItem(event: $0, sinks: ["amqp", "webhook:a"]) })
        let pending = try store.pending(sink: "amqp", limit: 3)
        #expect(pending.map(\.id) == events.prefix(3).map(\.id), "oldest first")
        #expect(try CloudEvent.decoder().decode(CloudEvent.self, from: Data(pending[0].body)) == events[0].roundedForStorage)
        try store.delivered(sink: "amqp", seqs: pending.map(\.seq))
        #expect(try store.pending(sink: "amqp", limit: 10).map(\.id) == events.suffix(2).map(\.id))
        #expect(try store.pending(sink: "webhook:a", limit: 10).count == 5, "the other destination still owes them")

        let later = Date().addingTimeInterval(3600)
        try store.retryLater(sink: "webhook:a", seqs: [pending[0].seq], next: later, error: "HTTP 500")
        let due = try store.pending(sink: "webhook:a", limit: 10)
        #expect(due.count == 4, "the deferred one is not due")
        let afterwards = try store.pending(sink: "webhook:a", limit: 10, now: later)
        #expect(afterwards.first?.attempts == 1)
        #expect(afterwards.first?.lastError == "HTTP 500")
        #expect(try store.outboxStats(limit: 100) == OutboxStats(events: 5, pending: ["amqp": 2, "webhook:a": 5], limit: 100))
    }

    @Test func events_pagesInOrderAndFiltersBySubjectAndType() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.append((0..<25).map { OutboxItem(event: Self.event("cam\($0 % 3)", .up, .down, at: at(8, $0)), sinks: []) })
        var seen: [Int64] = []
        var after: Int64 = 0
        var pages = 0
        while true {
            let page = try store.events(after: after, limit: 10)
            seen += page.events.map(\.seq)
            pages += 1
            guard let next = page.next else { break }
            after = next
        }
        #expect(pages == 3)
        #expect(seen == Array(1...25))
        #expect(try store.events(subject: "cam1").events.count == 8)
        #expect(try store.events(type: EventType.hostState.rawValue).events.isEmpty)
    }

    @Test func limit_removesOldestAndCountsUndeliveredOnes() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.append((0..<8).map { OutboxItem(event: Self.event("c", .up, .down, at: at(8, $0)), sinks: $0 < 2 ? [] : ["amqp"]) })
        let result = try store.append((8..<12).map { OutboxItem(event: Self.event("c", .up, .down, at: at(8, $0)), sinks: ["amqp"]) }, limit: 10)
        #expect(result.events == 10)
        #expect(result.trimmed == 2)
        #expect(result.trimmedUndelivered == 0, "the two oldest had been delivered")
        let again = try store.append([OutboxItem(event: Self.event("c", .up, .down, at: at(9)), sinks: ["amqp"])], limit: 10)
        #expect(again.trimmedUndelivered == 1)
        #expect(try store.events(limit: 100).events.first?.seq == 4)
        #expect(try store.outboxStats(limit: 10).pending["amqp"] == 10)
    }

    @Test func prune_keepsUndeliveredEventsWhateverTheirAge() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.append([
            OutboxItem(event: Self.event("old-delivered", .up, .down, at: at(day: -500, 8)), sinks: []),
            OutboxItem(event: Self.event("old-waiting", .up, .down, at: at(day: -500, 9)), sinks: ["amqp"]),
            OutboxItem(event: Self.event("new", .up, .down, at: at(8)), sinks: []),
        ])
        #expect(try store.pruneOutbox(olderThan: at(day: -400, 0)) == 1)
        #expect(try store.events().events.map(\.event.subject) == ["old-waiting", "new"])
        #expect(try store.dropDeliveries(except: ["webhook:x"]) == 1)
        #expect(try store.outboxStats(limit: 10).pending.isEmpty)
    }

    @Test func reopen_afterWrites_keepsTheBacklog() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try StateStore(directory: directory.path)
            try store.append([OutboxItem(event: Self.event("c", .up, .down, at: at(8)), sinks: ["amqp"])])
        }
        let reopened = try StateStore(directory: directory.path)
        #expect(try reopened.pending(sink: "amqp", limit: 10).count == 1)
    }
}

extension CloudEvent {
    /// The event as it reads back: times to the millisecond.
    var roundedForStorage: CloudEvent {
        (try? CloudEvent.decoder().decode(CloudEvent.self, from: json())) ?? self
    }
}

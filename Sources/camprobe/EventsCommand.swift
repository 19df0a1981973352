import ArgumentParser
import CamProbeCore
import Foundation
import Store
import StatusAPI

/// `camprobe events`: the outbox's events, oldest first, from the running
/// daemon's status socket, or straight from the state database when the
/// daemon is not running (`--state-dir`).
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List the events (state changes, host/school/prober outages) in the outbox.",
        discussion: """
            Every state change the daemon decides is written to its outbox as a CloudEvent in the \
            same transaction as the state itself; the queue relay and the webhooks deliver from \
            there. Without a broker the events stay in the outbox, and this lists them.

            Pages: --after SEQ --limit N (at most 1000); the last line of the table, or "next" in \
            the JSON, gives the SEQ to continue from. --all follows the pages to the end.
            --json prints one CloudEvent per line (JSON Lines), as published on the queue.

            Exit status: 0 listed; 1 the daemon or the database could not be read; 2 usage error.
            """
    )

    @Option(help: "The daemon's status socket.")
    var socket: String = StatusServerConfiguration.defaultSocketPath

    @Option(help: "Read the state database in this directory instead of asking the daemon.")
    var stateDir: String?

    @Option(help: "Only events after this sequence number.")
    var after: Int64 = 0

    @Option(help: "Events per page (1–1000).")
    var limit: Int = 100

    @Option(help: "Only events about this camera (or host, school, prober instance).")
    var subject: String?

    @Option(help: "Only events of this type, e.g. kz.camprobe.camera.state.v1.")
    var type: String?

    @Flag(help: "Follow the pages to the last event.")
    var all = false

    @Flag(help: "One CloudEvent per line (JSON Lines).")
    var json = false

    func validate() throws {
        guard (1...EventQuery.maxLimit).contains(limit) else { throw ValidationError("--limit must be from 1 to \(EventQuery.maxLimit)") }
        guard after >= 0 else { throw ValidationError("--after must be 0 or more") }
        if let type, EventType(rawValue: type) == nil {
            throw ValidationError("--type must be one of \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        var query = EventQuery(after: after, limit: limit, subject: subject, type: type)
        var rows: [OutboxPage.Entry] = []
        var stats: OutboxStats?
        var next: Int64?
        repeat {
            let page = try await fetch(query)
            stats = page.outbox ?? stats
            next = page.next
            if json {
                for entry in page.events { print(String(decoding: entry.event.json(), as: UTF8.self)) }
            } else {
                rows += page.events
            }
            if let next { query.after = next }
        } while all && next != nil
        guard !json else { return }
        print(EventsTable.render(rows, stats: stats, next: next), terminator: "")
    }

    private func fetch(_ query: EventQuery) async throws -> OutboxPage {
        if let stateDir {
            do {
                let store = try StateStore(directory: stateDir)
                var page = try store.events(after: query.after, limit: query.limit, subject: query.subject, type: query.type)
                page.outbox = try store.outboxStats(limit: 0)
                return page
            } catch {
                FileHandle.standardError.write(Data("camprobe events: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        do {
            return try await StatusClient(socketPath: socket).events(query)
        } catch {
            FileHandle.standardError.write(Data("camprobe events: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// The table `camprobe events` prints.
enum EventsTable {
    static func render(_ entries: [OutboxPage.Entry], stats: OutboxStats?, next: Int64?) -> String {
        var rows = [["SEQ", "TIME", "EVENT", "SUBJECT", "CHANGE", "REASON", "PENDING"]]
        for entry in entries {
            let event = entry.event
            var change = "", reason = ""
            switch event.data {
            case let .camera(data):
                change = data.kind == .reminder ? "still \(data.to.rawValue)" : "\(data.from.rawValue) → \(data.to.rawValue)"
                if !data.alerted, let cover = data.affectedBy { change += " (\(cover))" }
                reason = data.reasons.first?.text ?? ""
            case let .group(data):
                change = data.state == .down ? "down" : "recovered"
                reason = data.reason?.text ?? ""
                if let failing = data.failing, let probed = data.probed { reason += " (\(failing)/\(probed))" }
            case let .snapshot(data):
                change = data.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            case let .heartbeat(data):
                change = "alive, \(data.cameras) cameras, lag \(Int(data.lagSeconds.rounded())) s"
            case let .schedule(data):
                change = data.state == .behind ? "behind schedule" : "on schedule"
                reason = "lag \(Int(data.lagSeconds.rounded())) s, \(data.probeLimit) probes at once for \(data.probesNeeded) needed"
            }
            let kind = event.type.rawValue.dropFirst("kz.camprobe.".count)
            rows.append([
                String(entry.seq), StatusTable.time(event.time), String(kind), event.subject, change,
                String(reason.prefix(60)), entry.pending.isEmpty ? "—" : entry.pending.joined(separator: ","),
            ])
        }
        var out = entries.isEmpty ? "no events\n" : StatusTable.layout(rows)
        if let stats {
            let waiting = stats.pending.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += "outbox: \(stats.events) events" + (waiting.isEmpty ? "" : "; waiting: \(waiting)") + "\n"
        }
        if let next { out += "more: camprobe events --after \(next)\n" }
        return out
    }
}

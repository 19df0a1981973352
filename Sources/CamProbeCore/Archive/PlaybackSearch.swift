import Foundation

/// Finds one channel's archive through playback alone, in a few sessions: ask for a
/// moment, see what the recorder really plays (``PlaybackClock``), and conclude.
///
/// 1. **Earliest.** Ask for `farthestDays` back. A recorder that silently plays from
///    its earliest recording answers with it at once. One that refuses (nothing
///    recorded then) is bisected over days: at most `bisections` more sessions.
/// 2. **Holes.** `samples` moments spread evenly between the earliest and now. One
///    that plays from later than asked (by more than `tolerance`) lies in a hole that
///    ends where playback started; the hole's start is bisected `refinements` times
///    between the last moment that played as asked and this one.
/// 3. **Latest.** Half a `tolerance` before now: played as asked, the channel records.
///
/// Pure: `play` does the I/O (one session per call) and the search only decides.
public struct PlaybackSearch: Sendable {
    public enum Answer: Sendable {
        /// Playback started at this recorded moment.
        case played(Date)
        /// The recorder has nothing to play for that moment (404).
        case nothing
        /// The session failed for another reason: the search stops.
        case failed(ArchiveFailure)
    }

    public var farthestDays: Double
    public var bisections: Int
    public var samples: Int
    public var refinements: Int
    /// Played within this many seconds after the moment asked: it was recorded then.
    public var tolerance: TimeInterval

    public init(farthestDays: Double = 400, bisections: Int = 10, samples: Int = 15, refinements: Int = 2, tolerance: TimeInterval = 3600) {
        self.farthestDays = farthestDays
        self.bisections = bisections
        self.samples = samples
        self.refinements = refinements
        self.tolerance = tolerance
    }

    /// The channel's archive and the sessions it took, or the failure that stopped it.
    public func measure(channel: Int, now: Date, play: (Date) -> Answer) -> (Result<ChannelArchive, ArchiveFailure>, sessions: Int) {
        var sessions = 0
        func ask(_ moment: Date) -> Answer {
            sessions += 1
            return play(moment)
        }
        do throws(ArchiveFailure) {
            guard let earliest = try findEarliest(now: now, ask: ask) else {
                return (.success(ChannelArchive(channel: channel)), sessions)
            }
            let gaps = try findHoles(from: earliest, now: now, ask: ask)
            let recent = now.addingTimeInterval(-tolerance / 2)
            let latest = try recorded(at: recent, ask(recent)) ? recent : (gaps.last.map { max($0.to, earliest) } ?? earliest)
            return (.success(ChannelArchive(channel: channel, earliest: earliest, latest: latest, gaps: gaps)), sessions)
        } catch {
            return (.failure(error), sessions)
        }
    }

    private static let day = 86_400.0

    /// True when playback started at `moment`; false when it jumped ahead or had nothing.
    private func recorded(at moment: Date, _ answer: Answer) throws(ArchiveFailure) -> Bool {
        switch answer {
        case .played(let start): return start.timeIntervalSince(moment) <= tolerance
        case .nothing: return false
        case .failed(let failure): throw failure
        }
    }

    private func findEarliest(now: Date, ask: (Date) -> Answer) throws(ArchiveFailure) -> Date? {
        let farthest = now.addingTimeInterval(-farthestDays * Self.day)
        let first = ask(farthest)
        if case .played(let start) = first {
            return try recorded(at: farthest, first) ? farthest : start
        }
        _ = try recorded(at: farthest, first)
        // Days back: `low` plays as asked (or is now), `high` does not.
        var low = 0.0, high = farthestDays
        var earliestSeen: Date?
        for _ in 0..<bisections {
            let middle = (low + high) / 2
            let moment = now.addingTimeInterval(-middle * Self.day)
            let answer = ask(moment)
            if try recorded(at: moment, answer) {
                low = middle
                earliestSeen = moment
            } else {
                high = middle
                if case .played(let start) = answer, start < now { earliestSeen = min(earliestSeen ?? start, start) }
            }
        }
        return earliestSeen
    }

    private func findHoles(from earliest: Date, now: Date, ask: (Date) -> Answer) throws(ArchiveFailure) -> [ArchiveSpan] {
        let depth = now.timeIntervalSince(earliest)
        var holes: [ArchiveSpan] = []
        var lastRecorded = earliest
        for index in 1...max(1, samples) {
            let moment = earliest.addingTimeInterval(depth * Double(index) / Double(samples + 1))
            if let hole = holes.last, moment < hole.to { continue }
            let answer = ask(moment)
            if try recorded(at: moment, answer) {
                lastRecorded = moment
                continue
            }
            guard case .played(let resumed) = answer, resumed > moment else { continue }
            var low = lastRecorded, high = moment
            for _ in 0..<refinements {
                let middle = low.addingTimeInterval(high.timeIntervalSince(low) / 2)
                if try recorded(at: middle, ask(middle)) { low = middle } else { high = middle }
            }
            holes.append(ArchiveSpan(from: low.addingTimeInterval(high.timeIntervalSince(low) / 2), to: resumed))
            lastRecorded = resumed
        }
        return holes
    }
}

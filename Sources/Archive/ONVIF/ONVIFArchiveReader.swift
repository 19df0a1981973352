import CamProbeCore
import Foundation

/// Measures a recorder's archive through ONVIF Profile G: the recorder's clock
/// (GetSystemDateAndTime), the search service's address (GetServices), and every
/// recording with its earliest and latest data (FindRecordings, then
/// GetRecordingSearchResults until the search completes). A channel's archive is the
/// union of its recordings' tracks; the holes between them are its gaps.
struct ONVIFArchiveReader {
    /// Recordings read from one recorder: a 256-channel NVR has at most a few per channel.
    static let maximumRecordings = 2048
    /// GetRecordingSearchResults rounds before the search is given up.
    static let maximumRounds = 32

    let client: ONVIFClient
    let channels: Int

    func measure(recorder: String, now: () -> Date) -> ArchiveMeasurement {
        let started = now()
        var offset: Double?
        do throws(ArchiveFailure) {
            offset = try clockOffset(now: now)
            client.clockOffset = offset ?? 0
            try findSearchService()
            let recordings = try findRecordings()
            return ArchiveMeasurement(
                recorder: recorder, measuredAt: started, source: .onvif, clockOffset: offset,
                channels: ONVIFRecording.channels(recordings, count: channels), sessions: client.requests)
        } catch {
            return ArchiveMeasurement(
                recorder: recorder, measuredAt: started, source: .onvif, clockOffset: offset, sessions: client.requests,
                failure: error)
        }
    }

    /// Recorder UTC minus ours at the middle of the exchange, whole seconds.
    private func clockOffset(now: () -> Date) throws(ArchiveFailure) -> Double? {
        let before = now()
        let answer = try client.call(.getSystemDateAndTime)
        let after = now()
        guard let utc = answer.descendant("UTCDateTime"), let time = Self.date(utc) else { return nil }
        let ours = before.addingTimeInterval(after.timeIntervalSince(before) / 2)
        return time.timeIntervalSince(ours).rounded()
    }

    private static func date(_ node: XMLElementNode) -> Date? {
        let fields = [("Date", "Year"), ("Date", "Month"), ("Date", "Day"), ("Time", "Hour"), ("Time", "Minute"), ("Time", "Second")]
        let numbers = fields.map { node.value($0.0, $0.1).flatMap { Int($0) } }
        guard numbers.allSatisfy({ $0 != nil }) else { return nil }
        var components = DateComponents()
        components.year = numbers[0]; components.month = numbers[1]; components.day = numbers[2]
        components.hour = numbers[3]; components.minute = numbers[4]; components.second = numbers[5]
        guard let year = numbers[0], (1970...9999).contains(year) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return calendar.date(from: components)
    }

    /// The search service's path from GetServices; a device without one has no Profile G.
    private func findSearchService() throws(ArchiveFailure) {
        let answer = try client.call(.getServices)
        let search = answer.children("Service").first { $0.value("Namespace") == SOAPOperation.searchNamespace }
        guard let address = search?.value("XAddr") else {
            throw ArchiveFailure(.noMethod, "ONVIF at \(client.host):\(client.port): the recorder offers no recording search service (Profile G)")
        }
        client.searchPath = Self.path(of: address)
    }

    /// The path (and query) of an advertised address: its host is not trusted.
    static func path(of address: String) -> String {
        guard let scheme = address.range(of: "://") else { return ONVIFClient.devicePath }
        let rest = address[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        let path = String(rest[slash...].prefix { !$0.isWhitespace && $0 != "#" })
        return path.count <= 512 ? path : ONVIFClient.devicePath
    }

    private func findRecordings() throws(ArchiveFailure) -> [ONVIFRecording] {
        let found = try client.call(.findRecordings(maxMatches: Self.maximumRecordings))
        guard let token = found.value("SearchToken"), token.count <= 256 else {
            throw ArchiveFailure(.protocolError, "ONVIF FindRecordings at \(client.host):\(client.port): no search token in the answer")
        }
        var recordings: [ONVIFRecording] = []
        for _ in 0..<Self.maximumRounds {
            let answer = try client.call(.getRecordingSearchResults(token: token, maxResults: 100))
            guard let list = answer.child("ResultList") else {
                throw ArchiveFailure(.protocolError, "ONVIF GetRecordingSearchResults at \(client.host):\(client.port): no ResultList in the answer")
            }
            recordings += list.children("RecordingInformation").prefix(Self.maximumRecordings - recordings.count)
                .map(ONVIFRecording.init)
            if list.value("SearchState") == "Completed" || recordings.count >= Self.maximumRecordings {
                _ = try? client.call(.endSearch(token: token))
                return recordings
            }
        }
        _ = try? client.call(.endSearch(token: token))
        throw ArchiveFailure(.timeout, "ONVIF GetRecordingSearchResults at \(client.host):\(client.port): the search did not complete in \(Self.maximumRounds) rounds")
    }
}

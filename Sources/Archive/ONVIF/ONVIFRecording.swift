import CamProbeCore
import Foundation

/// One `tt:RecordingInformation` of a search result (ONVIF Recording Search 5.4).
struct ONVIFRecording: Equatable {
    var token: String
    var sourceID: String
    /// The recorded stretches: each video track's DataFrom…DataTo, else the
    /// recording's EarliestRecording…LatestRecording.
    var spans: [ArchiveSpan]

    init(_ node: XMLElementNode) {
        token = CameraText.sanitized(node.value("RecordingToken") ?? "")
        sourceID = CameraText.sanitized(node.child("Source")?.value("SourceId") ?? "")
        let tracks = node.children("Track").filter { ($0.value("TrackType") ?? "Video") == "Video" }
        var spans = tracks.compactMap { track -> ArchiveSpan? in
            guard let from = SOAPText.date(track.value("DataFrom")), let to = SOAPText.date(track.value("DataTo")) else { return nil }
            return ArchiveSpan(from: from, to: to)
        }
        if spans.isEmpty, let from = SOAPText.date(node.value("EarliestRecording")),
            let to = SOAPText.date(node.value("LatestRecording"))
        {
            spans = [ArchiveSpan(from: from, to: to)]
        }
        self.spans = spans
    }

    /// The channel a recording belongs to: the last number in its source id
    /// (`VideoSource_3`, `3`), else in its token (`Recording003`), else nil.
    var channel: Int? { Self.trailingNumber(sourceID) ?? Self.trailingNumber(token) }

    static func trailingNumber(_ text: String) -> Int? {
        let digits = text.reversed().prefix { $0.isASCII && $0.isNumber }.reversed()
        guard !digits.isEmpty, digits.count <= 6 else { return nil }
        return Int(String(digits))
    }

    /// One archive per channel 1…`count` (an empty one where no recording is),
    /// recordings without a channel number taken in order for the channels left.
    static func channels(_ recordings: [ONVIFRecording], count: Int) -> [ChannelArchive] {
        var spans: [Int: [ArchiveSpan]] = [:]
        var unplaced: [ONVIFRecording] = []
        for recording in recordings {
            if let channel = recording.channel, (1...max(1, count)).contains(channel) {
                spans[channel, default: []] += recording.spans
            } else {
                unplaced.append(recording)
            }
        }
        var free = (1...max(1, count)).filter { spans[$0] == nil }
        for recording in unplaced where !free.isEmpty {
            spans[free.removeFirst()] = recording.spans
        }
        return (1...max(1, count)).map { ChannelArchive(channel: $0, recorded: spans[$0] ?? [], minimumGap: 60) }
    }
}

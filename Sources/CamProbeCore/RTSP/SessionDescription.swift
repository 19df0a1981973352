/// The parts of an SDP session description (RFC 8866) the prober needs: the
/// media sections, their payload formats and control URLs. The text itself
/// goes to FFmpeg's SDP reader, trimmed to the one video section probed.
public struct SessionDescription: Sendable, Equatable {
    public struct Media: Sendable, Equatable {
        /// `video`, `audio`, `application`…
        public var kind: String
        /// `RTP/AVP`, `RTP/AVPF`, `RTP/SAVP`…
        public var proto: String
        public var payloadTypes: [Int]
        /// `a=control`, as written (absolute URL, relative path or `*`).
        public var control: String?
        /// `a=rtpmap` encoding name of the first payload type, upper-cased (`H264`, `H265`, `JPEG`).
        public var encoding: String?
        /// The section's lines, `m=` first.
        public var lines: [Substring]
    }

    /// Lines before the first `m=`.
    public var sessionLines: [Substring]
    /// Session-level `a=control`.
    public var control: String?
    public var media: [Media]

    public init(parsing text: String) throws(SessionDescriptionError) {
        sessionLines = []
        control = nil
        media = []
        guard text.utf8.count <= CameraLimits.sessionDescriptionBytes else { throw .tooLong(text.utf8.count) }
        let lines = text.split(whereSeparator: \.isNewline)
        guard let first = lines.first, first.hasPrefix("v=") else { throw .notSDP }
        for line in lines {
            guard line.count >= 2, line[line.index(after: line.startIndex)] == "=" else { continue }
            if line.hasPrefix("m=") {
                let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 3 else { throw .malformedMedia(String(line.prefix(80))) }
                guard media.count < CameraLimits.sessionDescriptionMedia else { throw .tooManyMedia }
                media.append(Media(
                    kind: String(fields[0]), proto: String(fields[2]),
                    payloadTypes: fields.dropFirst(3).compactMap { Int($0) }, control: nil, encoding: nil, lines: [line]))
                continue
            }
            if media.isEmpty {
                sessionLines.append(line)
                if let value = Self.attribute("control", in: line) { control = value }
                continue
            }
            let index = media.count - 1
            media[index].lines.append(line)
            if let value = Self.attribute("control", in: line) {
                media[index].control = value
            } else if let value = Self.attribute("rtpmap", in: line), media[index].encoding == nil {
                // "96 H264/90000"
                let parts = value.split(separator: " ", maxSplits: 1)
                if parts.count == 2, Int(parts[0]) == media[index].payloadTypes.first {
                    media[index].encoding = parts[1].split(separator: "/").first.map { $0.uppercased() }
                }
            }
        }
    }

    /// The first video section carried over RTP.
    public var video: Media? { media.first { $0.kind == "video" && $0.proto.hasPrefix("RTP/") } }

    public var hasAudio: Bool { media.contains { $0.kind == "audio" } }

    /// The session lines and one media section: what FFmpeg's SDP reader is
    /// given, so that every packet read belongs to the one stream it sets up.
    public func text(keeping section: Media) -> String {
        (sessionLines + section.lines).map { $0 + "\r\n" }.joined()
    }

    private static func attribute(_ name: String, in line: Substring) -> String? {
        guard line.hasPrefix("a=\(name):") else { return nil }
        return String(line.dropFirst(name.count + 3)).trimmingWhitespace()
    }
}

public enum SessionDescriptionError: Error, Sendable, Equatable, CustomStringConvertible {
    case notSDP
    case malformedMedia(String)
    case tooLong(Int)
    case tooManyMedia

    public var description: String {
        switch self {
        case .notSDP: return "the session description is not SDP (no 'v=' line)"
        case .malformedMedia(let line): return "malformed SDP media line '\(CameraText.sanitized(line))'"
        case .tooLong(let bytes):
            return "a session description of \(bytes) bytes (at most \(CameraLimits.sessionDescriptionBytes), CameraLimits.sessionDescriptionBytes)"
        case .tooManyMedia:
            return "a session description with more than \(CameraLimits.sessionDescriptionMedia) media sections (CameraLimits.sessionDescriptionMedia)"
        }
    }
}

/// An RTSP response as the camera sent it: status, headers and body.
///
/// Parsing is incremental: `RTSPResponse.parseHead` looks at the bytes read so
/// far and says how long the head is once the blank line that ends it has
/// arrived; the caller then reads `Content-Length` more bytes of body.
public struct RTSPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    /// Header fields in order; names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, reason: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The first field of that name, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every field of that name (a camera may send `WWW-Authenticate` twice).
    public func headers(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// The declared body length; 0 when absent. Nil when the field is not a
    /// plain decimal number (which `parseHead` rejects).
    public var contentLength: Int? {
        guard let text = header("Content-Length")?.trimmingWhitespace() else { return 0 }
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    public var cseq: Int? { header("CSeq").flatMap { Int($0.trimmingWhitespace()) } }

    public static func == (lhs: RTSPResponse, rhs: RTSPResponse) -> Bool {
        lhs.status == rhs.status && lhs.reason == rhs.reason && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    public static let maximumHeadLength = CameraLimits.responseHeadBytes
    public static let maximumBodyLength = CameraLimits.responseBodyBytes

    /// Parses a response head from the start of `bytes`. Returns nil while the
    /// blank line that ends the head has not arrived yet; throws when the bytes
    /// are not an RTSP message (an HTTP server, a stray binary protocol) or go
    /// beyond `CameraLimits`. The head limit holds on the whole head, however it
    /// arrived: a head that comes in one read is measured like one that trickles.
    ///
    /// A request from the camera (`GET_PARAMETER … RTSP/1.0`, which some
    /// servers send as a keep-alive) parses too, as status 0 with the request
    /// line as its reason: the client reads it and moves on.
    public static func parseHead(_ bytes: UnsafeRawBufferPointer) throws(RTSPMessageError) -> (response: RTSPResponse, headLength: Int)? {
        // Decide as early as possible whether this is RTSP at all.
        let prefix = Array("RTSP/".utf8)
        let isResponse = zip(bytes.prefix(prefix.count), prefix).allSatisfy { $0 == $1 }
        if !isResponse, try !startsLikeRequest(bytes) { return nil }
        // Only the first `maximumHeadLength` bytes can hold a head we accept.
        let window = UnsafeRawBufferPointer(rebasing: bytes[..<min(bytes.count, maximumHeadLength + 3)])
        guard let end = headEnd(window), end.headLength <= maximumHeadLength else {
            if bytes.count > maximumHeadLength { throw .headTooLong }
            return nil
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end.lineEnd]), as: UTF8.self)
        // "\r\n" is one Character in Swift: split on any newline.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let statusLine = lines.removeFirst()
        var response: RTSPResponse
        if isResponse {
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].hasPrefix("RTSP/"), parts[1].utf8.count == 3,
                  parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let status = Int(parts[1]), status >= 100 else {
                throw .malformedStatusLine(String(statusLine.prefix(80)))
            }
            response = RTSPResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "")
        } else {
            guard statusLine.hasSuffix(" RTSP/1.0") else { throw .notRTSP(firstBytes: String(statusLine.prefix(60))) }
            response = RTSPResponse(status: 0, reason: String(statusLine.prefix(80)))
        }
        for line in lines where !line.isEmpty {
            // Folded continuation lines belong to the field before them.
            if line.first == " " || line.first == "\t", !response.headers.isEmpty {
                response.headers[response.headers.count - 1].value += " " + String(line).trimmingWhitespace()
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw .malformedHeader(String(line.prefix(80))) }
            guard response.headers.count < CameraLimits.responseHeaderCount else { throw .tooManyHeaders }
            response.headers.append((String(line[..<colon]).trimmingWhitespace(), String(line[line.index(after: colon)...]).trimmingWhitespace()))
        }
        guard let length = response.contentLength else {
            throw .malformedHeader("Content-Length: " + String((response.header("Content-Length") ?? "").prefix(40)))
        }
        guard length <= maximumBodyLength else { throw .bodyTooLong(length) }
        return (response, end.headLength)
    }

    /// Whether the bytes can still be a request line (`METHOD SP …`): true once
    /// the method and a space arrived, throws as soon as they cannot be one.
    /// Nil-equivalent (false) while only method letters have arrived.
    private static func startsLikeRequest(_ bytes: UnsafeRawBufferPointer) throws(RTSPMessageError) -> Bool {
        let method = bytes.prefix { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x5F || $0 == 0x2D }
        // Methods are shorter than 32 letters, whether the space after one has
        // arrived yet or not: the outcome must not depend on how reads split.
        guard method.count < 32 else { throw .notRTSP(firstBytes: firstLine(bytes)) }
        if method.count == bytes.count { return false }
        if !method.isEmpty, bytes[method.count] == 0x20 { return true }
        let line = firstLine(bytes)
        if line.hasPrefix("HTTP/") { throw .httpServer(statusLine: line) }
        throw .notRTSP(firstBytes: line)
    }

    /// Where the head ends: after "\r\n\r\n" (or a bare "\n\n" from sloppy firmware).
    private static func headEnd(_ bytes: UnsafeRawBufferPointer) -> (lineEnd: Int, headLength: Int)? {
        var index = 0
        let count = bytes.count
        while index < count {
            if bytes[index] == 0x0A {
                if index + 1 < count, bytes[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }

    private static func firstLine(_ bytes: UnsafeRawBufferPointer) -> String {
        let line = bytes.prefix(while: { $0 != 0x0D && $0 != 0x0A }).prefix(60)
        let printable = line.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        return printable ? String(decoding: line, as: UTF8.self) : line.map { String($0, radix: 16) }.joined(separator: " ")
    }
}

/// Why bytes from the camera are not a usable RTSP message.
public enum RTSPMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    case httpServer(statusLine: String)
    case notRTSP(firstBytes: String)
    case malformedStatusLine(String)
    case malformedHeader(String)
    case headTooLong
    case tooManyHeaders
    case bodyTooLong(Int)

    public var description: String { description(secrets: nil) }

    /// The one-line reason, its camera-supplied fragment made safe (capped,
    /// control characters stripped, `secrets` masked).
    public func description(secrets: CameraSecrets?) -> String {
        func safe(_ text: String) -> String { CameraText.sanitized(text, secrets: secrets) }
        switch self {
        case .httpServer(let line): return "an HTTP server answered instead of a camera (\(safe(line)))"
        case .notRTSP(let first): return "the answer is not RTSP (it starts with \(safe(first)))"
        case .malformedStatusLine(let line): return "malformed RTSP status line '\(safe(line))'"
        case .malformedHeader(let line): return "malformed RTSP header line '\(safe(line))'"
        case .headTooLong: return "RTSP response head longer than \(RTSPResponse.maximumHeadLength) bytes (CameraLimits.responseHeadBytes)"
        case .tooManyHeaders: return "RTSP response with more than \(CameraLimits.responseHeaderCount) header fields (CameraLimits.responseHeaderCount)"
        case .bodyTooLong(let length): return "RTSP response body of \(length) bytes (at most \(RTSPResponse.maximumBodyLength), CameraLimits.responseBodyBytes)"
        }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}

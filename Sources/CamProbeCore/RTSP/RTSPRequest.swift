/// One RTSP request, rendered to the bytes sent on the wire.
public struct RTSPRequest: Sendable, Equatable {
    public var method: String
    /// The request URI, without credentials.
    public var uri: String
    public var headers: [Header]

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(method: String, uri: String, headers: [Header] = []) {
        self.method = method
        self.uri = uri
        self.headers = headers
    }

    /// `METHOD uri RTSP/1.0`, `CSeq` first, the other fields, a blank line.
    public func encoded(cseq: Int) -> [UInt8] {
        var text = "\(method) \(uri) RTSP/1.0\r\nCSeq: \(cseq)\r\n"
        for header in headers {
            text += "\(header.name): \(header.value)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}

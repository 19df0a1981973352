import Foundation

/// The daemon's answer: its HTTP status and JSON body, undecoded.
public struct StatusResponse: Sendable, Equatable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as a value, for a 2xx answer; otherwise the daemon's error.
    public func decode<T: Decodable>(
        _ type: T.Type, socketPath: String, decoder: JSONDecoder = StatusJSON.decoder()
    ) throws(StatusClientError) -> T {
        guard isSuccess else { throw error(socketPath: socketPath) }
        do {
            return try decoder.decode(type, from: body)
        } catch {
            throw .invalidResponse(path: socketPath, detail: "a \(status) answer that is not a \(T.self): \(error)")
        }
    }

    /// The daemon's error body as a ``StatusClientError/server(status:code:message:problems:)``.
    public func error(socketPath: String) -> StatusClientError {
        guard let document = try? StatusJSON.decoder().decode(ErrorDocument.self, from: body) else {
            return .invalidResponse(path: socketPath, detail: "HTTP \(status) without a status API error body")
        }
        return .server(
            status: status, code: document.error.code, message: document.error.message,
            problems: document.error.problems ?? [])
    }
}

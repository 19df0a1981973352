import CamProbeCore
import Foundation
import Hummingbird

/// `GET /v1/cameras`'s response, written in pieces of about `pieceBytes`: the
/// same bytes `JSONResponse` would give for ``CameraList``, but without the
/// whole document in memory at once. A region's list is 17 MB of JSON, and
/// Foundation's encoder builds a tree of the document before writing it, so
/// one full listing held some 60 MB at a time: more than the prober's buffers.
/// Here each camera is encoded on its own and indented into place, and a piece
/// is handed to the connection as soon as it is full.
enum CameraListResponse {
    static let pieceBytes = 64 * 1024

    static func make(_ cameras: [CameraStatus]) throws -> Response {
        // The empty list is the encoder's own (its brackets differ when empty).
        guard !cameras.isEmpty else { return try JSONResponse.make(.ok, CameraList(cameras: [])) }
        let body = ResponseBody { writer in
            let encoder = StatusJSON.encoder()
            var piece = ByteBuffer()
            piece.reserveCapacity(pieceBytes + 8 * 1024)
            piece.writeString("{\n  \"cameras\" : [\n")
            for (index, camera) in cameras.enumerated() {
                try append(encoder.encode(camera), indentedBy: 4, to: &piece)
                piece.writeString(index == cameras.count - 1 ? "\n" : ",\n")
                if piece.readableBytes >= pieceBytes {
                    try await writer.write(piece)
                    piece.clear()
                }
            }
            piece.writeString("  ],\n  \"count\" : \(cameras.count)\n}\n")
            try await writer.write(piece)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: body)
    }

    /// Appends `document` (pretty-printed JSON) with every line indented by
    /// `spaces`, as it appears nested in the list. Pretty-printed JSON has a line
    /// break only between tokens (one inside a string is escaped), so indenting
    /// after each is exact; the empty line inside an empty array stays empty,
    /// as the encoder writes it.
    static func append(_ document: Data, indentedBy spaces: Int, to buffer: inout ByteBuffer) {
        let indent = [UInt8](repeating: UInt8(ascii: " "), count: spaces)
        let newline = UInt8(ascii: "\n")
        document.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var lineStart = 0
            while lineStart < bytes.count {
                let lineEnd = bytes[lineStart...].firstIndex(of: newline).map { $0 + 1 } ?? bytes.count
                if bytes[lineStart] != newline { buffer.writeBytes(indent) }
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
                lineStart = lineEnd
            }
        }
    }
}

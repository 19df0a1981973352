import Foundation
import Hummingbird

/// Encodes a document with the API's conventions (``StatusJSON``) into a
/// response; every route answers through it.
enum JSONResponse {
    static func make(
        _ status: HTTPResponse.Status, _ document: some Encodable, encoder: JSONEncoder = StatusJSON.encoder()
    ) throws -> Response {
        var body = try encoder.encode(document)
        body.append(UInt8(ascii: "\n"))
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

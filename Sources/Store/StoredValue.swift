import CamProbeCore
import Foundation

/// How values are written to and read from the state database's columns.
enum StoredValue {
    // MARK: Times: INTEGER milliseconds since 1970 UTC

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    // MARK: JSON

    /// Dates in the JSON keep `JSONEncoder`'s default (a Double, exact on the way
    /// back), so a stored `ProbeReport` reads back equal. Non-finite numbers are
    /// written as strings rather than failing the whole write.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    static func json<T: Encodable>(_ value: T, encoder: JSONEncoder, path: String, camera: String) throws(StateStoreError) -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StateStoreError(
                code: .invalidUpdate, path: path,
                reason: "camera \(camera): cannot encode \(T.self) as JSON (\(error))")
        }
    }

    static func decode<T: Decodable>(
        _ type: T.Type, json text: String, decoder: JSONDecoder, path: String, camera: String, column: String
    ) throws(StateStoreError) -> T {
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw StateStoreError(
                code: .corruptValue, path: path,
                reason: "camera \(camera), column \(column): not a valid \(T.self) (\(error))")
        }
    }

    static func state(_ text: String, path: String, camera: String, column: String) throws(StateStoreError) -> MonitorState {
        guard let state = MonitorState(rawValue: text) else {
            throw StateStoreError(
                code: .corruptValue, path: path, reason: "camera \(camera), column \(column): unknown state \"\(text)\"")
        }
        return state
    }

    static func signature(_ text: String, path: String, camera: String) throws(StateStoreError) -> PictureSignature {
        guard let signature = PictureSignature(string: text) else {
            throw StateStoreError(
                code: .corruptValue, path: path,
                reason: "camera \(camera), column last_signature: not a picture signature")
        }
        return signature
    }
}

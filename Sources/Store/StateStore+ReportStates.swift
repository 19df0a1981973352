import CamProbeCore
import Foundation
import GRDB

/// A camera's stored row as a report lays it over the inventory: the row
/// without its probe report and picture signature, and the four values of that
/// report a report shows, read by SQLite (`json_extract`) instead of decoding
/// every camera's whole report (at 17,432 cameras that decoding was most of the
/// time spent reading the state).
public struct StoredStatus: Sendable, Equatable {
    /// The row; `lastReport` and `lastSignature` are not read.
    public var row: StoredCameraState
    /// Whether the row has a last report (when it has, its values replace the
    /// measured ones, also by nothing when that probe failed).
    public var hasReport: Bool
    public var codec: String?
    public var width: Int?
    public var height: Int?
    public var frameRate: Double?

    /// As ``StoredCameraState/applied(to:)`` with the full report.
    public func applied(to status: CameraStatus) -> CameraStatus {
        var status = row.applied(to: status)
        if hasReport {
            status.codec = codec
            status.width = width
            status.height = height
            status.frameRate = frameRate
        }
        return status
    }
}

extension StateStore {
    /// Every camera's row as ``StoredStatus``, by camera id.
    public func reportStates() throws(StateStoreError) -> [String: StoredStatus] {
        let path = path
        let rows = try reading { db in
            try Row.fetchAll(db, sql: """
                SELECT camera, state, since, reasons, affected_by, flapping, last_probe, last_report IS NOT NULL AS has_report,
                    json_extract(last_report, '$.video.codec') AS codec,
                    json_extract(last_report, '$.video.width') AS width,
                    json_extract(last_report, '$.video.height') AS height,
                    json_extract(last_report, '$.video.timing.frameRate') AS frame_rate
                FROM camera_state
                """)
        }
        let decoder = StoredValue.decoder()
        var states: [String: StoredStatus] = [:]
        states.reserveCapacity(rows.count)
        for row in rows {
            let state = try Self.cameraState(row, decoder: decoder, path: path)  // without last_report and last_signature
            states[state.camera] = StoredStatus(
                row: state, hasReport: (row["has_report"] as Int64? ?? 0) != 0,
                codec: String.fromDatabaseValue(row["codec"]), width: Int.fromDatabaseValue(row["width"]),
                height: Int.fromDatabaseValue(row["height"]), frameRate: Self.number(row["frame_rate"]))
        }
        return states
    }

    /// A JSON number as `json_extract` gives it; the encoder's strings for the
    /// non-finite ones (see ``StoredValue/encoder()``); nil for anything else.
    static func number(_ value: DatabaseValue) -> Double? {
        switch value.storage {
        case let .double(number): number
        case let .int64(number): Double(number)
        case .string("NaN"): .nan
        case .string("+Infinity"): .infinity
        case .string("-Infinity"): -.infinity
        default: nil
        }
    }
}

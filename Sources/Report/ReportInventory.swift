import CamProbeCore
import Foundation

/// The inventory as the daemon last loaded it (names, locations, profiles), kept
/// in the state directory (`report-inventory.json`, 0640) so that `camprobe
/// report --state-dir` can name regions, districts and schools without the
/// config file. The daemon writes it at start and at each reload.
public enum ReportInventory {
    public static let fileName = "report-inventory.json"

    struct Entry: Codable {
        var status: CameraStatus
        var profile: PolicyProfile?
    }

    public static func save(_ cameras: [ReportCamera], stateDirectory: String) throws {
        let entries = cameras.map { Entry(status: blank($0.status), profile: $0.profile) }
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(entries).write(to: URL(fileURLWithPath: path), options: .atomic)
        chmod(path, 0o640)
    }

    /// Nil when the daemon never wrote one there.
    public static func load(stateDirectory: String) throws -> [ReportCamera]? {
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let entries = try decoder.decode([Entry].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        return entries.map { ReportCamera(status: $0.status, profile: $0.profile) }
    }

    /// Only what the inventory says: state and measurements come from the store.
    private static func blank(_ status: CameraStatus) -> CameraStatus {
        CameraStatus(
            id: status.id, region: status.region, district: status.district, school: status.school,
            schoolBin: status.schoolBin, location: status.location, kind: status.kind, host: status.host)
    }
}

import CamProbeCore
import Foundation

/// The inventory as the daemon last loaded it (names, locations, profiles), kept
/// in the state directory (`report-inventory.json`, 0640) so that `camprobe
/// report --state-dir` can name regions, districts and schools without the
/// config file. The daemon writes it at start and at each reload.
///
/// Layout: `{"profiles": [PolicyProfile…], "cameras": [{"status": …, "profile": index}]}`,
/// each distinct profile once (a region's 17,432 cameras have a handful, and
/// decoding a copy per camera was a quarter of a region report's time). The
/// layout of earlier versions, `[{"status": …, "profile": PolicyProfile}]`, is
/// still read.
public enum ReportInventory {
    public static let fileName = "report-inventory.json"

    struct File: Codable {
        var profiles: [PolicyProfile]
        var cameras: [Camera]

        struct Camera: Codable {
            var status: CameraStatus
            /// Index into `profiles`.
            var profile: Int?
        }
    }

    /// An entry of the earlier layout.
    struct Entry: Decodable {
        var status: CameraStatus
        var profile: PolicyProfile?

        /// A profile this version cannot read (the file of another version, whose
        /// profiles had other fields) is no profile: the report then shows no
        /// required values for the camera, but still names it (the daemon
        /// rewrites the file when it starts).
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(CameraStatus.self, forKey: .status)
            profile = try? container.decodeIfPresent(PolicyProfile.self, forKey: .profile)
        }

        enum CodingKeys: String, CodingKey { case status, profile }
    }

    public static func save(_ cameras: [ReportCamera], stateDirectory: String) throws {
        var file = File(profiles: [], cameras: [])
        file.cameras.reserveCapacity(cameras.count)
        for camera in cameras {
            var index: Int?
            if let profile = camera.profile {
                index = file.profiles.firstIndex(of: profile) ?? file.profiles.count
                if index == file.profiles.count { file.profiles.append(profile) }
            }
            file.cameras.append(File.Camera(status: blank(camera.status), profile: index))
        }
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(file).write(to: URL(fileURLWithPath: path), options: .atomic)
        chmod(path, 0o640)
    }

    /// Nil when the daemon never wrote one there.
    public static func load(stateDirectory: String) throws -> [ReportCamera]? {
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.first(where: { !$0.isJSONSpace }) == UInt8(ascii: "[") else {
            let file = try decoder.decode(File.self, from: data)
            return file.cameras.map { camera in
                let profile = camera.profile.flatMap { file.profiles.indices.contains($0) ? file.profiles[$0] : nil }
                return ReportCamera(status: camera.status, profile: profile)
            }
        }
        return try decoder.decode([Entry].self, from: data).map { ReportCamera(status: $0.status, profile: $0.profile) }
    }

    /// Only what the inventory says: state and measurements come from the store.
    private static func blank(_ status: CameraStatus) -> CameraStatus {
        CameraStatus(
            id: status.id, region: status.region, district: status.district, school: status.school,
            schoolBin: status.schoolBin, location: status.location, kind: status.kind, host: status.host)
    }
}

private extension UInt8 {
    var isJSONSpace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}

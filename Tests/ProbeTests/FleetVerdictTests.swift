import CamProbeConfig
import CamProbeCore
import Foundation
import Probe
import Testing

/// The fleet's cameras as inventory cameras, judged under the shipped
/// profiles (config/profiles.yaml): the verdicts and reasons an operator sees.
extension FleetProbeTests {
    /// A config directory: the shipped profiles, an inventory of fleet cameras.
    func fleetConfig(_ cameras: [(id: String, camera: String, kind: String, profile: String?)]) async throws -> LoadedConfig {
        let fleet = try await TestFleet.shared()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-verdicts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: TestFleet.repositoryRoot.appendingPathComponent("config/profiles.yaml"), to: dir.appendingPathComponent("profiles.yaml"))
        var inventory = "cameras:\n"
        for entry in cameras {
            inventory += """
                  - id: \(entry.id)
                    region: "Абай облысы"
                    district: "Аягөз ауданы"
                    school: "Ақшәуілі ауылының орта мектебі"
                    location: "Кіреберіс"
                    kind: \(entry.kind)
                    url: "\(try fleet.url(entry.camera))"

                """
            if let profile = entry.profile { inventory += "    profile: \(profile)\n" }
        }
        try inventory.write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
        try "language: kk\ninventory: [inventory.yaml]\nprofiles: profiles.yaml\n"
            .write(to: dir.appendingPathComponent("camprobe.yaml"), atomically: true, encoding: .utf8)
        let (loaded, diagnostics) = ConfigLoader(credentialsDirectory: nil, hostName: "test").load(path: dir.appendingPathComponent("camprobe.yaml").path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(loaded)
    }

    func verdict(_ loaded: LoadedConfig, _ id: String) async throws -> Verdict {
        let camera = try #require(loaded.cameras.first { $0.id == id })
        let profile = try #require(loaded.profile(for: camera))
        let report = await Self.prober.probe(try loaded.mainStream(for: camera))
        return PolicyEvaluator(profile: profile, camera: camera).evaluate(main: report)
    }

    @Test func verdicts_fleetCamerasUnderShippedProfiles() async throws {
        let loaded = try await fleetConfig([
            ("cam-1080p", "h264_1080p25", "digital", "digital-entrance"),
            ("cam-720p", "h264_720p12_5", "digital", nil),
            ("cam-d1", "h264_d1", "analog", nil),
            ("cam-d1-as-digital", "h264_d1", "digital", "digital-main"),
            ("cam-5fps", "h264_5fps", "digital", nil),
            ("cam-black", "black", "digital", nil),
            ("cam-blue", "nosignal_blue", "analog", nil),
            ("cam-frozen", "frozen", "digital", nil),
            ("cam-blurred", "blurred", "digital", nil),
            ("cam-404", "not_found", "digital", nil),
            ("cam-mjpeg", "http_mjpeg", "digital", nil),
        ])
        #expect(loaded.language == .kk)

        let up = try await verdict(loaded, "cam-1080p")
        #expect(up.state == .up)
        #expect(up.reasons.filter { $0.severity >= .violation }.isEmpty)

        let small = try await verdict(loaded, "cam-720p")
        #expect(small.state == .degraded)
        #expect(small.reasons.map(\.code).contains(.resolutionBelowMinimum))
        #expect(small.reasons.map(\.code).contains(.frameRateBelowMinimum))
        let resolution = try #require(small.reasons(.resolutionBelowMinimum).first)
        #expect(resolution.measured == "1280×720")
        #expect(resolution.text(in: .kk).contains("1280×720"))

        let analog = try await verdict(loaded, "cam-d1")
        #expect(analog.state == .up)
        #expect(analog.reasons.map(\.code).contains(.cameraAnalog))
        #expect(analog.reasons.filter { $0.severity >= .violation }.isEmpty)
        #expect(try await verdict(loaded, "cam-d1-as-digital").state == .degraded)

        let slow = try await verdict(loaded, "cam-5fps")
        #expect(slow.state == .degraded)
        #expect(slow.reasons.map(\.code).contains(.frameRateBelowMinimum))

        for (id, code) in [("cam-black", ReasonCode.pictureBlack), ("cam-blue", .pictureUniform), ("cam-frozen", .pictureFrozen)] {
            let dead = try await verdict(loaded, id)
            #expect(dead.state == .down, "\(id)")
            #expect(dead.reasons.first?.code == code, "\(id): \(dead.reasons.map(\.code))")
        }

        let blurred = try await verdict(loaded, "cam-blurred")
        #expect(blurred.state == .degraded)
        #expect(blurred.reasons.map(\.code).contains(.pictureBlurred))

        let missing = try await verdict(loaded, "cam-404")
        #expect(missing.state == .down)
        #expect(missing.reasons.first?.code == .probeNotFound)

        let mjpeg = try await verdict(loaded, "cam-mjpeg")
        #expect(mjpeg.state == .degraded)
        #expect(mjpeg.reasons.map(\.code).contains(.codecNotAllowed))
    }
}

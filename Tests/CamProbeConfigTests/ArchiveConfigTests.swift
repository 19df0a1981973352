import CamProbeConfig
import CamProbeCore
import Testing

@Suite struct ArchiveConfigTests {
    private func load(inventory: String, profiles: String? = nil) throws -> LoadedConfig {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", inventory)
        var config = "inventory: [inventory.yaml]\n"
        if let profiles {
            try directory.write("profiles.yaml", profiles)
            config += "profiles: profiles.yaml\n"
        }
        let path = try directory.write("camprobe.yaml", config)
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: path)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        return try #require(loaded)
    }

    private static let recorder = """
        recorders:
          - id: dvr
            region: R
            district: D
            school: S
            host: 10.0.0.1
            vendor: hikvision
            channels: 4

        """

    @Test func recorderWithoutArchive_getsTheDefaults() throws {
        let loaded = try load(inventory: Self.recorder)
        let archive = try #require(loaded.recorders.first).archive
        #expect(archive == ArchiveSettings())
        #expect(archive.method == .auto && archive.interval == 86_400 && archive.window.description == "01:00-05:00" && archive.onvifPort == 80)
        #expect(archive.playbackTemplate(vendor: .hikvision) == "rtsp://{host}:{port}/Streaming/tracks/{channel}01?starttime={start}")
        #expect(archive.playbackTemplate(vendor: .xmeye) == nil)
    }

    @Test func recorderArchiveSettings_areDecoded() throws {
        let loaded = try load(inventory: Self.recorder + """
                archive:
                  method: onvif
                  playback: dahua
                  interval: 43200
                  window: "22:30-04:00"
                  onvif_port: 8080

            """)
        let archive = try #require(loaded.recorders.first).archive
        #expect(archive == ArchiveSettings(
            method: .onvif, playback: .dahua, interval: 43_200, window: NightWindow(start: 1350, end: 240), onvifPort: 8080))
        #expect(archive.playbackTemplate(vendor: .hikvision)?.contains("/cam/playback?channel={channel}") == true)
    }

    @Test func profileArchiveRules_areDecoded_andDefaultTo30Days() throws {
        let loaded = try load(
            inventory: Self.recorder,
            profiles: "analog-dvr: {min_archive_days: 14, max_archive_gap: 7200}\nstrict: {extends: analog-dvr, max_archive_clock_offset: 10}\n")
        #expect(loaded.profiles["digital-main"]?.archive == ArchiveRules(minDays: 30, maxGap: 3600, maxClockOffset: 60))
        #expect(loaded.profiles["analog-dvr"]?.archive == ArchiveRules(minDays: 14, maxGap: 7200, maxClockOffset: 60))
        #expect(loaded.profiles["strict"]?.archive == ArchiveRules(minDays: 14, maxGap: 7200, maxClockOffset: 10))
    }

    @Test func impossibleArchiveRules_areRefusedWithTheirPlace() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", Self.recorder)
        try directory.write("profiles.yaml", "analog-dvr:\n  min_archive_days: 0\n  max_archive_gap: -1\n")
        let path = try directory.write("camprobe.yaml", "inventory: [inventory.yaml]\nprofiles: profiles.yaml\n")
        let (_, diagnostics) = ConfigLoader.forTests().load(path: path)
        let lines = diagnostics.map(\.description).map { String($0[$0.range(of: "profiles.yaml")!.lowerBound...]) }
        #expect(lines == [
            "profiles.yaml:2:21: min_archive_days must be more than 0 (got 0)",
            "profiles.yaml:3:20: max_archive_gap must be more than 0 (got -1)",
        ])
    }
}

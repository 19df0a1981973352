import CamProbeConfig
import CamProbeCore
import Foundation
import Testing

@Suite struct ValidConfigTests {
    /// testdata/valid copied to a temp dir (the secrets file needs mode 0600,
    /// which git does not keep).
    private func loadValid() throws -> (LoadedConfig, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        try directory.copyContents(of: TestFiles.testdata.appendingPathComponent("valid"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.file("secrets.yaml"))
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: directory.file("camprobe.yaml"))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        return (try #require(loaded), directory)
    }

    @Test func validConfig_decodesConfigFile() throws {
        let (loaded, directory) = try loadValid()
        #expect(
            loaded.config
                == ConfigFile(
                    path: directory.file("camprobe.yaml"), instance: "test-prober", language: .kk,
                    inventory: [directory.file("inventory.yaml"), directory.file("schools.csv")],
                    secrets: directory.file("secrets.yaml"), profiles: directory.file("profiles.yaml"),
                    probe: .init(window: 1.5, timeout: 4, transport: .tcp, concurrency: 8, rtspClient: .ffmpeg)))
        #expect(loaded.language == .kk)
        #expect(loaded.config.probe.options.rtspClient == .ffmpeg)
        #expect(loaded.config.probe.options.phaseTimeout == 4)
    }

    @Test func validConfig_loadsEveryCameraInOrder() throws {
        let (loaded, _) = try loadValid()
        #expect(
            loaded.cameras.map(\.id) == [
                "sch12-cam01", "sch12-cam02", "ayagoz-dvr-ch01", "ayagoz-dvr-ch02", "ayagoz-dvr-ch03", "ayagoz-dvr-ch04",
                "nvr-7-ch01", "nvr-7-ch02", "gym1-cam01", "gym1-dvr-ch01", "gym1-dvr-ch02", "gym1-dvr-ch03",
            ])
        #expect(loaded.recorders.map(\.id) == ["ayagoz-dvr", "nvr-7", "gym1-dvr"])
        #expect(loaded.secrets.names == ["school-12", "xmeye-dvr"])
        #expect(loaded.profiles.keys.sorted() == ["analog-dvr", "digital-main", "entrance", "night-entrance"])
    }

    @Test func validConfig_cameraValues() throws {
        let (loaded, _) = try loadValid()
        let cameras = loaded.cameras
        #expect(
            cameras[id: "sch12-cam01"]
                == Camera(
                    id: "sch12-cam01", region: "Абай облысы", district: "Семей қаласы",
                    school: School(name: "КГУ «Школа №12»", bin: "010240053059"), location: "Главный вход", kind: .digital,
                    mainStream: "rtsp://10.61.12.11/Streaming/Channels/101",
                    subStream: "rtsp://10.61.12.11/Streaming/Channels/102", credentials: "school-12", profile: "entrance"))
        #expect(
            cameras[id: "sch12-cam02"]
                == Camera(
                    id: "sch12-cam02", region: "Абай облысы", district: "Семей қаласы", school: School(name: "КГУ «Школа №12»"),
                    kind: .analog, mainStream: "http://10.61.12.12/mjpg/video.mjpg", profile: "analog-dvr",
                    overrides: PolicyOverrides(minFrameRate: 10, warnFrameRate: 12.5, checkFrozen: false)))
        #expect(
            cameras[id: "ayagoz-dvr-ch01"]
                == Camera(
                    id: "ayagoz-dvr-ch01", region: "Абай облысы", district: "Аягөз ауданы",
                    school: School(name: "Аягөз қаласының №3 мектебі", bin: "990740064686"), location: "Бас кіреберіс",
                    kind: .analog,
                    mainStream: "rtsp://10.62.3.2:8554/user={user}&password={password}&channel=1&stream=0.sdp",
                    subStream: "rtsp://10.62.3.2:8554/user={user}&password={password}&channel=1&stream=1.sdp",
                    credentials: "xmeye-dvr", recorder: RecorderChannel(recorder: "ayagoz-dvr", host: "10.62.3.2", channel: 1),
                    profile: "analog-dvr"))
        #expect(cameras[id: "ayagoz-dvr-ch02"]?.location == nil)
        #expect(cameras[id: "ayagoz-dvr-ch04"]?.location == "Спорт залы")
        let nvr = try #require(cameras[id: "nvr-7-ch02"])
        #expect(nvr.mainStream == "rtsp://nvr7.school.kz:554/Streaming/Channels/201")
        #expect(nvr.subStream == "rtsp://nvr7.school.kz:554/Streaming/Channels/202")
        #expect(nvr.kind == .digital)
        #expect(nvr.profile == "night-entrance")
        #expect(nvr.credentials == nil)
    }

    @Test func validConfig_csvRowsWithQuotesAndLineBreaks() throws {
        let (loaded, _) = try loadValid()
        let gym = try #require(loaded.cameras[id: "gym1-cam01"])
        #expect(gym.school == School(name: "Абай атындағы №1 мектеп-гимназиясы; \"Болашақ\" корпусы", bin: "020340024714"))
        #expect(gym.location == "Бас кіреберіс\nсолтүстік жағы")
        #expect(gym.mainStream == "rtsp://10.61.20.5/cam/realmonitor?channel=1&subtype=0")
        let dvr = try #require(loaded.cameras[id: "gym1-dvr-ch03"])
        #expect(dvr.location == "Үлкен зал")
        #expect(dvr.school == School(name: "Ғылыми һәм өнер мектебі"))
        #expect(dvr.mainStream == "rtsp://10.61.20.9:554/cam/realmonitor?channel=3&subtype=0")
        #expect(dvr.credentials == "school-12")
        #expect(dvr.kind == .analog)
        #expect(loaded.cameras[id: "gym1-dvr-ch01"]?.location == "Әкімшілік")
        #expect(loaded.cameras[id: "gym1-dvr-ch02"]?.location == nil)
    }

    @Test func validConfig_profilesExtendAndRedefine() throws {
        let (loaded, _) = try loadValid()
        var analog = PolicyProfile.analogDVR
        analog.minWidth = 720
        #expect(loaded.profiles["analog-dvr"] == analog)
        #expect(loaded.profiles["digital-main"] == .digitalMain)
        var entrance = PolicyProfile(name: "entrance", description: "Кіреберіс камерасы", minFrameRate: 20, interval: 60)
        entrance.picture.blackShare = 0.95
        #expect(loaded.profiles["entrance"] == entrance)
        var night = entrance
        night.name = "night-entrance"
        night.description = nil
        night.checkBlurred = false
        night.codecs = ["h264", "hevc"]
        #expect(loaded.profiles["night-entrance"] == night)
        let camera = try #require(loaded.cameras[id: "sch12-cam02"])
        let judged = try #require(loaded.profile(for: camera))
        #expect(judged.minWidth == 720)
        #expect(judged.minFrameRate == 10)
        #expect(judged.warnFrameRate == 12.5)
        #expect(judged.checkFrozen == false)
    }

    @Test func validConfig_streamAddressesCarryCredentialsOnlyUnredacted() throws {
        let (loaded, _) = try loadValid()
        let hikvision = try loaded.mainStream(for: try #require(loaded.cameras[id: "sch12-cam01"]))
        #expect(hikvision.unredacted == "rtsp://admin:p%40ss%3Aword%2F1@10.61.12.11/Streaming/Channels/101")
        #expect(hikvision.redacted == "rtsp://***@10.61.12.11/Streaming/Channels/101")
        let xmeye = try #require(loaded.cameras[id: "ayagoz-dvr-ch03"])
        let main = try loaded.mainStream(for: xmeye)
        #expect(main.unredacted == "rtsp://10.62.3.2:8554/user=admin&password=s3cr%26t%3Dx&channel=3&stream=0.sdp")
        #expect(main.redacted == "rtsp://10.62.3.2:8554/user=***&password=***&channel=3&stream=0.sdp")
        #expect("\(main)" == main.redacted)
        let sub = try #require(try loaded.subStream(for: xmeye))
        #expect(sub.redacted == "rtsp://10.62.3.2:8554/user=***&password=***&channel=3&stream=1.sdp")
        let plain = try loaded.mainStream(for: try #require(loaded.cameras[id: "nvr-7-ch01"]))
        #expect(plain.unredacted == "rtsp://nvr7.school.kz:554/Streaming/Channels/101")
    }

    @Test func minimalConfig_takesDefaults() throws {
        let directory = try TemporaryDirectory()
        try directory.copy(TestFiles.testdata("valid/inventory-plain.yaml"), to: "cameras.yml")
        let path = try directory.write("camprobe.yaml", "inventory: cameras.yml\n")
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: path)
        #expect(diagnostics.isEmpty)
        let config = try #require(loaded).config
        #expect(config == ConfigFile(path: path, instance: "test-host", inventory: [directory.file("cameras.yml")]))
        #expect(config.language == .ru)
        #expect(config.probe == ConfigFile.ProbeSettings(window: 2, timeout: 5, transport: .auto, concurrency: 4))
        #expect(try #require(loaded).cameras.count == 6)
        #expect(try #require(loaded).profiles.count == 2)
    }

    @Test func relativePaths_resolveAgainstTheConfigsDirectory() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("etc/inv"), withIntermediateDirectories: true)
        try directory.copy(TestFiles.testdata("valid/inventory-plain.yaml"), to: "etc/inv/a.yaml")
        let path = try directory.write("etc/camprobe.yaml", "inventory: [inv/a.yaml, ./inv/missing.yaml]\n")
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: path)
        #expect(loaded == nil)
        #expect(
            lines(diagnostics, relativeTo: directory.path) == [
                "etc/camprobe.yaml:1:25: inventory file etc/inv/missing.yaml does not exist"
            ])
    }

    /// The repository's config/ as shipped, with secrets.yaml made from the example
    /// as its comment says (`cp secrets.example.yaml secrets.yaml && chmod 600`).
    @Test func shippedSampleConfig_passesCheck() throws {
        let directory = try TemporaryDirectory()
        try directory.copyContents(of: TestFiles.sampleConfig)
        try directory.copy(directory.file("secrets.example.yaml"), to: "secrets.yaml", mode: 0o600)
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: directory.file("camprobe.yaml"))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let config = try #require(loaded)
        #expect(config.cameras.count == 49)
        #expect(config.recorders.count == 5)
        #expect(config.profiles.keys.sorted() == ["analog-dvr", "digital-entrance", "digital-main"])
        #expect(config.secrets.count == 7)
        #expect(config.config.instance == "abai-semey-01")
        #expect(config.profiles["digital-main"] == .digitalMain)
        #expect(config.profiles["analog-dvr"] == .analogDVR)
        #expect(config.profiles["digital-entrance"]?.minFrameRate == 20)
        #expect(Set(config.cameras.map(\.region)) == ["Абайская область"])
        #expect(Set(config.cameras.map(\.district)).count == 4)
        #expect(config.cameras.filter { $0.kind == .analog }.count == 32)
        for camera in config.cameras {
            let address = try config.mainStream(for: camera)
            #expect(!address.redacted.contains("CHANGE-ME"))
        }
    }

    @Test func shippedSampleConfig_withoutSecretsFile_saysSoOnce() throws {
        let directory = try TemporaryDirectory()
        try directory.copyContents(of: TestFiles.sampleConfig)
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: directory.file("camprobe.yaml"))
        #expect(loaded == nil)
        #expect(lines(diagnostics, relativeTo: directory.path) == ["camprobe.yaml:24:10: secrets file secrets.yaml does not exist"])
    }
}

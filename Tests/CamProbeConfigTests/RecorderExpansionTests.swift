import CamProbeConfig
import CamProbeCore
import Testing

@Suite struct RecorderExpansionTests {
    /// One 16-channel recorder per vendor, loaded from YAML as an inventory writes them.
    private func load16ChannelRecorders() throws -> LoadedConfig {
        let directory = try TemporaryDirectory()
        var inventory = "recorders:\n"
        for (id, vendor, extra) in [
            ("hik", "hikvision", ""), ("dahua", "dahua", ""), ("unv", "uniview", ""),
            ("xm", "xmeye", "    credentials: dvr\n"),
            ("other", "custom", "    template: rtsp://{host}:{port}/live/ch{channel}/main\n    sub_template: rtsp://{host}:{port}/live/ch{channel}/sub\n"),
        ] {
            inventory += """
                  - id: \(id)
                    region: Абай облысы
                    district: Семей қаласы
                    school: Мектеп №1
                    host: 10.61.1.2
                    vendor: \(vendor)
                    channels: 16

                """ + extra
        }
        try directory.write("inventory.yaml", inventory)
        try directory.write("secrets.yaml", "dvr: {username: admin, password: 'p&ss=1'}\n", mode: 0o600)
        let path = try directory.write("camprobe.yaml", "inventory: [inventory.yaml]\nsecrets: secrets.yaml\n")
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: path)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        return try #require(loaded)
    }

    @Test func recorder16Channels_becomes16CamerasPerVendor() throws {
        let loaded = try load16ChannelRecorders()
        #expect(loaded.cameras.count == 80)
        for recorder in ["hik", "dahua", "unv", "xm", "other"] {
            let cameras = loaded.cameras.filter { $0.recorder?.recorder == recorder }
            #expect(cameras.map(\.id) == (1...16).map { "\(recorder)-ch" + ($0 < 10 ? "0" : "") + "\($0)" })
            #expect(cameras.map { $0.recorder?.channel } == Array(1...16))
            #expect(cameras.allSatisfy { $0.recorder?.host == "10.61.1.2" && $0.kind == .analog && $0.profile == "analog-dvr" })
        }
    }

    @Test(arguments: [
        ("hik-ch01", "rtsp://10.61.1.2:554/Streaming/Channels/101", "rtsp://10.61.1.2:554/Streaming/Channels/102"),
        ("hik-ch10", "rtsp://10.61.1.2:554/Streaming/Channels/1001", "rtsp://10.61.1.2:554/Streaming/Channels/1002"),
        ("hik-ch16", "rtsp://10.61.1.2:554/Streaming/Channels/1601", "rtsp://10.61.1.2:554/Streaming/Channels/1602"),
        ("dahua-ch01", "rtsp://10.61.1.2:554/cam/realmonitor?channel=1&subtype=0", "rtsp://10.61.1.2:554/cam/realmonitor?channel=1&subtype=1"),
        ("dahua-ch16", "rtsp://10.61.1.2:554/cam/realmonitor?channel=16&subtype=0", "rtsp://10.61.1.2:554/cam/realmonitor?channel=16&subtype=1"),
        ("unv-ch01", "rtsp://10.61.1.2:554/unicast/c1/s0/live", "rtsp://10.61.1.2:554/unicast/c1/s1/live"),
        ("unv-ch16", "rtsp://10.61.1.2:554/unicast/c16/s0/live", "rtsp://10.61.1.2:554/unicast/c16/s1/live"),
        ("xm-ch01", "rtsp://10.61.1.2:554/user={user}&password={password}&channel=1&stream=0.sdp", "rtsp://10.61.1.2:554/user={user}&password={password}&channel=1&stream=1.sdp"),
        ("xm-ch16", "rtsp://10.61.1.2:554/user={user}&password={password}&channel=16&stream=0.sdp", "rtsp://10.61.1.2:554/user={user}&password={password}&channel=16&stream=1.sdp"),
        ("other-ch07", "rtsp://10.61.1.2:554/live/ch7/main", "rtsp://10.61.1.2:554/live/ch7/sub"),
    ])
    func recorderChannel_hasVendorURLs(id: String, main: String, sub: String) throws {
        let camera = try #require(try load16ChannelRecorders().cameras[id: id])
        #expect(camera.mainStream == main)
        #expect(camera.subStream == sub)
    }

    @Test func xmeyeChannel_credentialsInPath_percentEncodedAndRedacted() throws {
        let loaded = try load16ChannelRecorders()
        let address = try loaded.mainStream(for: try #require(loaded.cameras[id: "xm-ch05"]))
        #expect(address.unredacted == "rtsp://10.61.1.2:554/user=admin&password=p%26ss%3D1&channel=5&stream=0.sdp")
        #expect(address.redacted == "rtsp://10.61.1.2:554/user=***&password=***&channel=5&stream=0.sdp")
        #expect(try StreamURL(parsing: address.unredacted).redacted == address.redacted)
    }

    @Test func recorderOver99Channels_usesThreeDigitIds() {
        let recorder = Recorder(
            id: "nvr", region: "R", district: "D", school: School(name: "S"), host: "fd00::5", vendor: .hikvision,
            channels: 128, profile: "digital-main")
        let cameras = recorder.cameras()
        #expect(cameras.count == 128)
        #expect(cameras.first?.id == "nvr-ch001")
        #expect(cameras[98].id == "nvr-ch099")
        #expect(cameras.last?.id == "nvr-ch128")
        #expect(cameras.last?.mainStream == "rtsp://[fd00::5]:554/Streaming/Channels/12801")
    }
}

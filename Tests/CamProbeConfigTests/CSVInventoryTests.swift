import CamProbeConfig
import CamProbeCore
import Foundation
import Testing

@Suite struct CSVInventoryTests {
    /// Loads one CSV inventory (no secrets, built-in profiles).
    private func load(csv: Data, name: String = "schools.csv") throws -> (LoadedConfig?, [String]) {
        let directory = try TemporaryDirectory()
        try directory.write(name, csv)
        let path = try directory.write("camprobe.yaml", "inventory: [\(name)]\n")
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: path)
        return (loaded, lines(diagnostics, relativeTo: directory.path))
    }

    private func load(csv: String) throws -> (LoadedConfig?, [String]) {
        try load(csv: Data(csv.utf8))
    }

    static let kazakh = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
    static let russian = "ЁёЙйЩщЪъЭэЮюЯя"

    @Test func kazakhAndRussianLetters_roundTripToCameraAndJSON() throws {
        let school = "«\(Self.kazakh)» мектебі; КГУ \"\(Self.russian)\""
        let csv = """
            id,region,district,school,school_bin,location,url
            k1,Абай облысы,Үржар ауданы,"\(school.replacingOccurrences(of: "\"", with: "\"\""))",030840011861,Дәліз — \(Self.kazakh),rtsp://10.0.0.1/a

            """
        let (loaded, diagnostics) = try load(csv: csv)
        #expect(diagnostics.isEmpty)
        let camera = try #require(loaded?.cameras.first)
        let expected = Camera(
            id: "k1", region: "Абай облысы", district: "Үржар ауданы", school: School(name: school, bin: "030840011861"),
            location: "Дәліз — \(Self.kazakh)", mainStream: "rtsp://10.0.0.1/a", profile: "digital-main")
        #expect(camera == expected)
        #expect(Array(camera.school.name.unicodeScalars) == Array(school.unicodeScalars))

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let json = String(decoding: try encoder.encode(camera), as: UTF8.self)
        #expect(json.contains("\"district\":\"Үржар ауданы\""))
        #expect(json.contains("\"location\":\"Дәліз — \(Self.kazakh)\""))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(Camera.self, from: Data(json.utf8)) == expected)
    }

    @Test func semicolonAndCommaSeparated_loadTheSame() throws {
        let rows = [
            ["id", "region", "district", "school", "location", "url", "vendor", "host", "channels", "credentials"],
            ["c1", "Абай облысы", "Семей қаласы", "Мектеп, №1", "Кіреберіс; солтүстік", "rtsp://10.0.0.1/a", "", "", "", ""],
            ["d1", "Абай облысы", "Семей қаласы", "Мектеп, №1", "", "", "uniview", "10.0.0.2", "2", ""],
        ]
        func csv(_ separator: String) -> String {
            rows.map { row in
                row.map { $0.contains(separator) ? "\"\($0)\"" : $0 }.joined(separator: separator)
            }.joined(separator: "\r\n") + "\r\n"
        }
        let (semicolon, semicolonProblems) = try load(csv: csv(";"))
        let (comma, commaProblems) = try load(csv: csv(","))
        #expect(semicolonProblems.isEmpty)
        #expect(commaProblems.isEmpty)
        let cameras = try #require(semicolon).cameras
        #expect(cameras == (try #require(comma).cameras))
        #expect(cameras.map(\.id) == ["c1", "d1-ch01", "d1-ch02"])
        #expect(cameras[0].school.name == "Мектеп, №1")
        #expect(cameras[0].location == "Кіреберіс; солтүстік")
        #expect(cameras[2].mainStream == "rtsp://10.0.0.2:554/unicast/c2/s0/live")
    }

    @Test func quotedFields_separatorsDoubledQuotesAndLineBreaks() throws {
        let csv = """
            id;region;district;school;location;url
            q1;R;D;"Школа ""Болашақ""; корпус 2";"Бірінші жол
            екінші жол
            үшінші";rtsp://10.0.0.1/a
            q2;R;D;S;"";rtsp://10.0.0.2/a
            q3;R;D;S;;ftp://10.0.0.3/a

            """
        let (_, diagnostics) = try load(csv: csv)
        // q3 is the 4th record (row 4) although it is on line 6.
        #expect(diagnostics == ["schools.csv:row 4, column url: url is not a stream URL: unsupported scheme (expected rtsp, rtsps, http, https or file)"])
        let (loaded, _) = try load(csv: csv.replacingOccurrences(of: "ftp://", with: "rtsp://"))
        let cameras = try #require(loaded).cameras
        #expect(cameras[0].school.name == "Школа \"Болашақ\"; корпус 2")
        #expect(cameras[0].location == "Бірінші жол\nекінші жол\nүшінші")
        #expect(cameras[1].location == nil)
    }

    @Test func byteOrderMark_isStripped() throws {
        let csv = "id,region,district,school,url\r\nb1,R,D,S,rtsp://10.0.0.1/a\r\n"
        let (withBOM, problems) = try load(csv: Data([0xEF, 0xBB, 0xBF]) + Data(csv.utf8))
        #expect(problems.isEmpty)
        let (without, _) = try load(csv: csv)
        #expect(try #require(withBOM).cameras == (try #require(without)).cameras)
        #expect(withBOM?.cameras.first?.id == "b1")
    }

    @Test func russianHeaderAliases_areAccepted() throws {
        let csv = "Камера;Регион;Район;Школа;БИН;Место;url\nr1;Абай облысы;Аягозский район;Школа №3;990740064686;Вход;rtsp://10.0.0.1/a\n"
        let (loaded, problems) = try load(csv: csv)
        #expect(problems.isEmpty)
        #expect(
            loaded?.cameras.first
                == Camera(
                    id: "r1", region: "Абай облысы", district: "Аягозский район",
                    school: School(name: "Школа №3", bin: "990740064686"), location: "Вход", mainStream: "rtsp://10.0.0.1/a",
                    profile: "digital-main"))
        let (_, badColumn) = try load(csv: "id;регион;район;Школа;url;бин;x\n")
        #expect(badColumn.count == 1)
        #expect(badColumn.first?.hasPrefix("schools.csv:row 1, column x: unknown column 'x'") == true)
    }

    @Test func unnamedTrailingColumns_areIgnoredUnlessFilled() throws {
        let csv = "id;region;district;school;url;;\nu1;R;D;S;rtsp://10.0.0.1/a;;\nu2;R;D;S;rtsp://10.0.0.2/a;;note\n"
        let (_, problems) = try load(csv: csv)
        #expect(problems == ["schools.csv:row 3: a value in column 7, which has no name in the header"])
    }

    @Test func notUTF8_isReportedByRowAndColumn() throws {
        var data = Data("id,region,district,school,url\nw1,R,D,".utf8)
        data += Data([0xCF, 0xEA, 0xEE])  // "Шко" in Windows-1251
        data += Data(",rtsp://10.0.0.1/a\n".utf8)
        let (_, problems) = try load(csv: data)
        #expect(problems == ["schools.csv:row 2, column school: not UTF-8 text (save the file as CSV UTF-8)"])
    }

    /// A region's worth of rows, a few broken: the diagnostics name exactly those rows.
    @Test func twentyThousandRows_withBrokenRows_namesExactlyThem() throws {
        let bins = ["010240053059", "020340024714", "990740064686", "051240007917", "030840011861"]
        var csv = "id;region;district;school;school_bin;location;kind;url;sub_url\r\n"
        csv.reserveCapacity(3_000_000)
        for n in 1...20_000 {
            let row = n + 1
            var id = "abai-\(n)"
            var bin = bins[n % bins.count]
            var kind = n % 3 == 0 ? "analog" : "digital"
            var url = "rtsp://10.\(n / 65536).\(n / 256 % 256).\(n % 256)/Streaming/Channels/101"
            var location = "Дәліз №\(n)"
            switch row {
            case 3: location = "\"Бірінші қабат;\nкіреберіс\""
            case 7: url = "rtps://10.0.0.7/a"
            case 5_000: bin = "010240053058"
            case 12_345: id = "abai-99"
            case 19_999: kind = "ip"
            case 20_001: id = ""
            default: break
            }
            csv += "\(id);Абай облысы;Аудан \(n % 17);Мектеп №\(n / 8);\(bin);\(location);\(kind);\(url);\r\n"
        }
        let (loaded, problems) = try load(csv: csv)
        #expect(loaded == nil)
        #expect(
            problems == [
                "schools.csv:row 7, column url: url is not a stream URL: unsupported scheme (expected rtsp, rtsps, http, https or file)",
                "schools.csv:row 5000, column school_bin: school_bin 010240053058 is not a valid BIN (its check digit should be 9: a typo?)",
                "schools.csv:row 12345, column id: duplicate camera id 'abai-99' (first defined at schools.csv:row 100)",
                "schools.csv:row 19999, column kind: kind must be one of digital, analog (got 'ip')",
                "schools.csv:row 20001, column id: missing value",
            ])
    }
}

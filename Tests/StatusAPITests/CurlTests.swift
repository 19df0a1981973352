import Foundation
import Testing

/// The status API as an operator reaches it: `curl --unix-socket`.
struct CurlTests {
    @Test func cameras_stateDown_isJSONWithSnakeCaseKeysAndISODates() async throws {
        try await withServer { server in
            let curl = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/cameras?state=down"])
            #expect(curl.status == 200)
            let json = try curl.json
            #expect(json["count"] as? Int == 3)
            let cameras = try #require(json["cameras"] as? [[String: Any]])
            let first = try #require(cameras.first { $0["id"] as? String == "semey12-cam01" })
            #expect(first["school_bin"] as? String == "123456789012")
            #expect(first["since"] as? String == "2025-11-21T04:40:00Z")
            #expect(first["last_probe"] as? String == "2025-11-21T04:50:00Z")
            #expect(first["frame_rate"] as? Double == 25)
            #expect(first["school"] as? String == "КГУ «Общеобразовательная средняя школа №12» города Семей")
            let reasons = try #require(first["reasons"] as? [[String: Any]])
            #expect(reasons.first?["code"] as? String == "picture.frozen")
            let affected = try #require(cameras.first { $0["id"] as? String == "beskaragai-dvr-ch2" })
            #expect(affected["affected_by"] as? String == "host 10.30.1.2 down")
        }
    }

    @Test func cameras_cyrillicFilterViaDataURLEncode_matches() async throws {
        try await withServer { server in
            let curl = try await Curl.run([
                "--unix-socket", server.socketPath, "--get", "--data-urlencode", "district=Бесқарағай ауданы",
                "--data-urlencode", "state=down", "http://localhost/v1/cameras",
            ])
            #expect(curl.status == 200)
            #expect(try curl.json["count"] as? Int == 2)
            // `+` is a space, as HTML forms write it.
            let plus = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/cameras?district=%D0%B3.+%D0%A1%D0%B5%D0%BC%D0%B5%D0%B9"])
            #expect(try plus.json["count"] as? Int == 2)
        }
    }

    /// curl sends a URL as given: raw UTF-8 in the request line, which the HTTP
    /// parser refuses (RFC 9112 wants it percent-encoded). docs/status-api.md
    /// says to use `-G --data-urlencode`.
    @Test func cameras_rawUTF8InTheQuery_isRefusedByTheParser() async throws {
        try await withServer { server in
            let raw = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/cameras?state=down&region=Абай%20облысы"])
            #expect(raw.status == 400)
            let encoded = try await Curl.run([
                "--unix-socket", server.socketPath, "-G", "--data-urlencode", "region=Абай облысы", "-d", "state=down",
                "http://localhost/v1/cameras",
            ])
            #expect(encoded.status == 200)
            #expect(try encoded.json["count"] as? Int == 3)
        }
    }

    @Test func badStateValue_is400NamingTheParameter() async throws {
        try await withServer { server in
            let curl = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/cameras?state=foo"])
            #expect(curl.status == 400)
            let error = try #require(try curl.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "bad_parameter")
            #expect(error["message"] as? String == "parameter 'state': 'foo' is not one of unknown, up, degraded, down")
        }
    }

    @Test func badPercentEncoding_is400() async throws {
        try await withServer { server in
            let curl = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/cameras?region=%ZZ"])
            #expect(curl.status == 400)
            let error = try #require(try curl.json["error"] as? [String: Any])
            #expect(error["message"] as? String == "parameter 'region' is not valid percent-encoded UTF-8")
        }
    }

    @Test func unknownCamera_is404JSONError() async throws {
        try await withServer { server in
            let curl = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/cameras/nope"])
            #expect(curl.status == 404)
            #expect(curl.body.contains(#""code" : "camera_not_found""#))
        }
    }

    @Test func summary_threeOfFourDown_is75Percent() async throws {
        try await withServer { server in
            let curl = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/summary?by=region&state=down"])
            #expect(curl.status == 200)
            let all = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/summary"]).json
            let rows = try #require(all["rows"] as? [[String: Any]])
            let abai = try #require(rows.first { $0["name"] as? String == "Абай облысы" })
            #expect(abai["down"] as? Int == 3)
            #expect(abai["down_percent"] as? Double == 75.0)
            #expect(abai["degraded_percent"] as? Double == 25.0)
            #expect(abai["not_up_percent"] as? Double == 100.0)
            #expect(all["by"] as? String == "region")
        }
    }

    @Test func probeNow_viaPOST_is202() async throws {
        try await withServer { server in
            let curl = try await Curl.run(["--unix-socket", server.socketPath, "-X", "POST", "http://localhost/v1/cameras/semey12-cam02/probe"])
            #expect(curl.status == 202)
            #expect(try curl.json["queued"] as? Bool == true)
            #expect(server.source.probed == ["semey12-cam02"])
            let wrongMethod = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/cameras/semey12-cam02/probe"])
            #expect(wrongMethod.status == 405)
        }
    }

    @Test func reload_whenInvalid_is422WithProblems() async throws {
        try await withServer { server in
            server.source.setReloadResult(.init(ok: false, problems: ["camprobe.yaml:3:1: unknown key 'x'"], cameras: 0))
            let curl = try await Curl.run(["--unix-socket", server.socketPath, "-X", "POST", "http://localhost/v1/reload"])
            #expect(curl.status == 422)
            let error = try #require(try curl.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "config_invalid")
            #expect(error["problems"] as? [String] == ["camprobe.yaml:3:1: unknown key 'x'"])
        }
    }

    @Test func health_is200() async throws {
        try await withServer { server in
            let curl = try await Curl.run(["--unix-socket", server.socketPath, "http://localhost/v1/health"])
            #expect(curl.status == 200)
            #expect(try curl.json["status"] as? String == "ok")
        }
    }
}

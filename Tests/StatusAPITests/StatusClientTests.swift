import CamProbeCore
import Foundation
import StatusAPI
import Testing

/// The status API through its own client, against the real server on a Unix socket.
struct StatusClientTests {
    @Test func cameras_withoutFilters_listsEveryCameraInRegionDistrictSchoolOrder() async throws {
        try await withServer { server in
            let list = try await server.client.cameras()
            #expect(list.count == 6)
            #expect(list.cameras == Fixtures.cameras.sorted {
                ($0.region, $0.district, $0.school, $0.id) < ($1.region, $1.district, $1.school, $1.id)
            })
        }
    }

    @Test func cameras_whenStateDown_listsOnlyDownCameras() async throws {
        try await withServer { server in
            let list = try await server.client.cameras(CameraFilter(state: .down))
            #expect(Set(list.cameras.map(\.id)) == ["semey12-cam01", "beskaragai-dvr-ch1", "beskaragai-dvr-ch2"])
            #expect(list.count == 3)
        }
    }

    @Test func cameras_whenFilteredByCyrillicRegionDistrictAndSchool_matchesExactly() async throws {
        try await withServer { server in
            let zhambyl = try await server.client.cameras(CameraFilter(region: Fixtures.zhambyl))
            #expect(Set(zhambyl.cameras.map(\.id)) == ["taraz5-cam01", "taraz5-cam02"])
            let district = try await server.client.cameras(CameraFilter(district: Fixtures.beskaragai))
            #expect(Set(district.cameras.map(\.id)) == ["beskaragai-dvr-ch1", "beskaragai-dvr-ch2"])
            let school = try await server.client.cameras(CameraFilter(school: Fixtures.school12))
            #expect(Set(school.cameras.map(\.id)) == ["semey12-cam01", "semey12-cam02"])
            let bin = try await server.client.cameras(CameraFilter(school: "123456789012"))
            #expect(bin.count == 2)
        }
    }

    @Test func cameras_whenFilteredByReasonAndHost_matchesBoth() async throws {
        try await withServer { server in
            let frozen = try await server.client.cameras(CameraFilter(reason: "picture.frozen"))
            #expect(frozen.cameras.map(\.id) == ["semey12-cam01"])
            let dvr = try await server.client.cameras(CameraFilter(state: .down, host: "10.30.1.2"))
            #expect(dvr.cameras.map(\.id) == ["beskaragai-dvr-ch1", "beskaragai-dvr-ch2"])
            let none = try await server.client.cameras(CameraFilter(reason: "picture.frozen", host: "10.30.1.2"))
            #expect(none.count == 0)
        }
    }

    @Test func camera_whenKnown_returnsStatusLastReportAndHistoryUnchanged() async throws {
        try await withServer { server in
            let detail = try await server.client.camera("semey12-cam01")
            #expect(detail == Fixtures.details["semey12-cam01"])
            #expect(detail.history.map(\.to) == [.up, .down])
            #expect(detail.lastReport?.video?.width == 1920)
        }
    }

    @Test func camera_whenUnknown_is404CameraNotFound() async throws {
        try await withServer { server in
            let error = await #expect(throws: StatusClientError.self) { try await server.client.camera("no-such-camera") }
            #expect(error == .server(status: 404, code: "camera_not_found", message: "no camera with id 'no-such-camera'", problems: []))
        }
    }

    @Test func summary_byRegion_countsAndPercentagesAreExact() async throws {
        try await withServer { server in
            let summary = try await server.client.summary(by: .region)
            #expect(summary.by == .region)
            #expect(summary.rows.map(\.name) == [Fixtures.abai, Fixtures.zhambyl])
            let abai = summary.rows[0]
            #expect((abai.cameras, abai.up, abai.degraded, abai.down, abai.unknown) == (4, 0, 1, 3, 0))
            #expect(abai.downPercent == 75.0)
            #expect(abai.degradedPercent == 25.0)
            #expect(abai.upPercent == 0.0)
            #expect(abai.notUpPercent == 100.0)
            // One camera not probed yet: the share is of the one known camera.
            let zhambyl = summary.rows[1]
            #expect((zhambyl.cameras, zhambyl.up, zhambyl.unknown) == (2, 1, 1))
            #expect(zhambyl.upPercent == 100.0)
            // Total: 6 cameras, 5 known: 3 down = 60.0, 1 degraded = 20.0, 1 up = 20.0.
            #expect(summary.total.name == nil)
            #expect((summary.total.cameras, summary.total.unknown) == (6, 1))
            #expect((summary.total.downPercent, summary.total.degradedPercent, summary.total.upPercent) == (60.0, 20.0, 20.0))
            #expect(summary.total.notUpPercent == 80.0)
        }
    }

    @Test func summary_bySchoolWithRegionFilter_rowsCarryDistrictAndRoundToOneDecimal() async throws {
        var cameras = Fixtures.cameras
        // A third camera at the Semey school, up: 1 of 3 down is 33.3%.
        cameras.append(CameraStatus(
            id: "semey12-cam03", region: Fixtures.abai, district: Fixtures.semey, school: Fixtures.school12,
            host: "10.20.0.5", state: .up))
        try await withServer(InMemoryStatusSource(cameras: cameras)) { server in
            let summary = try await server.client.summary(by: .school, CameraFilter(region: Fixtures.abai))
            #expect(summary.rows.map(\.name) == [Fixtures.schoolBeskaragai, Fixtures.school12])
            let semey = summary.rows[1]
            #expect(semey.district == Fixtures.semey)
            #expect(semey.region == Fixtures.abai)
            #expect((semey.downPercent, semey.degradedPercent, semey.upPercent) == (33.3, 33.3, 33.3))
            #expect(semey.notUpPercent == 66.7)
        }
    }

    @Test func probe_whenKnown_is202AndQueuesTheProbe() async throws {
        try await withServer { server in
            let response = try await server.client.send(.probe("taraz5-cam01"))
            #expect(response.status == 202)
            #expect(try response.decode(ProbeRequested.self, socketPath: server.socketPath) == ProbeRequested(camera: "taraz5-cam01"))
            #expect(server.source.probed == ["taraz5-cam01"])
        }
    }

    @Test func probe_whenUnknown_is404AndQueuesNothing() async throws {
        try await withServer { server in
            let error = await #expect(throws: StatusClientError.self) { try await server.client.probe("ghost") }
            #expect(error?.code == "camera_not_found")
            #expect(server.source.probed.isEmpty)
        }
    }

    @Test func reload_whenValid_is200WithTheResult() async throws {
        try await withServer { server in
            server.source.setReloadResult(ReloadResult(ok: true, problems: [], cameras: 17_432))
            let result = try await server.client.reload()
            #expect(result == ReloadResult(ok: true, problems: [], cameras: 17_432))
        }
    }

    @Test func reload_whenInvalid_is422WithEveryProblem() async throws {
        try await withServer { server in
            let problems = [
                "inventory.yaml:8:5: unknown key 'urll' in camera",
                "schools.csv:row 4945, column url: url is not a stream URL",
            ]
            server.source.setReloadResult(ReloadResult(ok: false, problems: problems, cameras: 0))
            let response = try await server.client.send(.reload)
            #expect(response.status == 422)
            #expect(response.error(socketPath: server.socketPath) == .server(
                status: 422, code: "config_invalid",
                message: "the new configuration has 2 problems; the running one stays", problems: problems))
        }
    }

    @Test func health_answersOkWithStartTime() async throws {
        try await withServer { server in
            let health = try await server.client.health()
            #expect(health.status == "ok")
            #expect(abs(health.startedAt.timeIntervalSinceNow) < 60)
            #expect(health.uptimeSeconds >= 0)
        }
    }

    @Test(arguments: [
        (["v1", "cameras"], [("state", "foo")], "parameter 'state': 'foo' is not one of unknown, up, degraded, down"),
        (["v1", "cameras"], [("colour", "red")],
         "unknown query parameter 'colour' (allowed: state, reason, region, district, school, host)"),
        (["v1", "cameras"], [("state", "up"), ("state", "down")], "parameter 'state' is given more than once"),
        (["v1", "cameras"], [("region", "")], "parameter 'region' needs a value"),
        (["v1", "cameras"], [("reason", "Picture Frozen")],
         "parameter 'reason': 'Picture Frozen' is not a reason code (like picture.frozen)"),
        (["v1", "summary"], [("by", "city")], "parameter 'by': 'city' is not one of region, district, school"),
        (["v1", "cameras"], [("by", "region")],
         "unknown query parameter 'by' (allowed: state, reason, region, district, school, host)"),
        (["v1", "health"], [("verbose", "1")], "unknown query parameter 'verbose' (this endpoint takes none)"),
    ] as [([String], [(String, String)], String)])
    func badQuery_is400NamingTheParameter(path: [String], query: [(String, String)], message: String) async throws {
        try await withServer { server in
            let response = try await server.client.send(StatusRequest(.get, path, query: query.map { (name: $0.0, value: $0.1) }))
            #expect(response.status == 400)
            #expect(response.error(socketPath: server.socketPath) == .server(
                status: 400, code: "bad_parameter", message: message, problems: []))
        }
    }

    @Test func unknownPath_is404AndWrongMethod_is405WithAllow() async throws {
        try await withServer { server in
            let missing = try await server.client.send(StatusRequest(.get, ["v1", "cameraz"]))
            #expect(missing.status == 404)
            #expect(missing.error(socketPath: server.socketPath).code == "not_found")
            let wrongMethod = try await server.client.send(StatusRequest(.get, ["v1", "reload"]))
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.error(socketPath: server.socketPath) == .server(
                status: 405, code: "method_not_allowed", message: "/v1/reload takes POST, not GET", problems: []))
        }
    }

    @Test func sourceFailure_is500WithoutEchoingTheError() async throws {
        try await withServer { server in
            server.source.setFailing(true)
            let response = try await server.client.send(.cameras())
            #expect(response.status == 500)
            #expect(response.error(socketPath: server.socketPath).code == "internal")
            #expect(!String(decoding: response.body, as: UTF8.self).contains("hunter2"))
        }
    }

    @Test func cameraID_withCyrillicAndSpaces_isPercentEncodedAndDecoded() async throws {
        let camera = CameraStatus(
            id: "Семей мектеп 12/1", region: Fixtures.abai, district: Fixtures.semey, school: Fixtures.school12,
            host: "10.20.0.9", state: .up)
        try await withServer(InMemoryStatusSource(cameras: [camera], details: [:])) { server in
            #expect(StatusRequest.camera(camera.id).target == "/v1/cameras/%D0%A1%D0%B5%D0%BC%D0%B5%D0%B9%20%D0%BC%D0%B5%D0%BA%D1%82%D0%B5%D0%BF%2012%2F1")
            let detail = try await server.client.camera(camera.id)
            #expect(detail.status == camera)
        }
    }
}


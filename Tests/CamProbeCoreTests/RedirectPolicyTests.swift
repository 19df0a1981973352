import CamProbeCore
import Testing

/// Where a redirect may take a probe: credentials stay with their host and port.
@Suite struct RedirectPolicyTests {
    let origin = try! StreamURL(parsing: "rtsp://admin:s3cret@10.0.0.5:554/ch1")

    func decide(_ location: String?, from current: StreamURL? = nil, followed: Int = 0, origin: StreamURL? = nil) -> RedirectPolicy.Decision {
        RedirectPolicy(origin: origin ?? self.origin).decide(status: 302, location: location, from: current ?? origin ?? self.origin, followed: followed)
    }

    @Test func sameHostAndPort_isFollowedWithTheCredentials() throws {
        guard case .follow(let next) = decide("rtsp://10.0.0.5:554/ch1/main") else { Issue.record("must follow"); return }
        #expect(next.unredacted == "rtsp://admin:s3cret@10.0.0.5:554/ch1/main")
        // A path-only Location is on the same host.
        guard case .follow(let relative) = decide("/other") else { Issue.record("must follow"); return }
        #expect(relative.unredacted == "rtsp://admin:s3cret@10.0.0.5:554/other")
    }

    @Test func anotherHostOrPort_withCredentials_isRefusedNamingTheTargetRedacted() {
        for location in ["rtsp://10.0.0.6:554/ch1", "rtsp://10.0.0.5:8554/ch1", "rtsp://thief:x@10.0.0.6/ch1"] {
            guard case .refuse(let failure) = decide(location) else { Issue.record("\(location) must be refused"); continue }
            #expect(failure.code == .redirect)
            #expect(!failure.message.contains("thief:x") && !failure.message.contains("s3cret"))
            #expect(failure.message.contains("10.0.0."))
        }
    }

    @Test func anotherHost_withoutCredentials_isFollowed_withoutUserInfoTheCameraAdded() throws {
        let open = try StreamURL(parsing: "rtsp://10.0.0.5/ch1")
        guard case .follow(let next) = decide("rtsp://thief:x@10.0.0.6/ch1", origin: open) else { Issue.record("must follow"); return }
        #expect(next.unredacted == "rtsp://10.0.0.6/ch1")
    }

    @Test func loops_endAfterTheLimit() {
        guard case .refuse(let failure) = decide("rtsp://10.0.0.5:554/ch1", followed: CameraLimits.redirects) else { Issue.record("must refuse"); return }
        #expect(failure.code == .redirect)
        #expect(failure.message.contains("more than \(CameraLimits.redirects)"))
    }

    @Test func missingOrUnusableLocation_isAProtocolFailure() {
        guard case .refuse(let missing) = decide(nil), case .refuse(let http) = decide("http://10.0.0.5/x") else { Issue.record("must refuse"); return }
        #expect(missing.code == .protocolError)
        #expect(http.code == .protocolError)
    }
}

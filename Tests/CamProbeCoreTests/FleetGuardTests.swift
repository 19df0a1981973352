import CamProbeCore
import Foundation
import Testing

private let start = Date(timeIntervalSince1970: 1_700_000_000)

/// `seconds` after the test's epoch.
private func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

/// The policy's verdict for a probe that failed with `failure`, or worked.
private func verdict(_ failure: ReasonCode?) -> Verdict {
    guard let failure else { return Verdict(reasons: []) }
    return Verdict(reasons: [Reason(code: failure, severity: .failure, measured: "test failure")])
}

private func change(
    _ camera: String, _ from: MonitorState, _ to: MonitorState, _ failure: ReasonCode?, since: TimeInterval,
    at time: TimeInterval
) -> CameraChange {
    CameraChange(camera: camera, from: from, to: to, reasons: verdict(failure).reasons, since: at(since), at: at(time))
}

private func channels(_ recorder: String, _ count: Int) -> [String] {
    (1...count).map { $0 < 10 ? "\(recorder)-ch0\($0)" : "\(recorder)-ch\($0)" }
}

/// The daemon's loop without I/O: one state machine per camera (default
/// hysteresis: down after 3 failures, up after 2 good probes), one guard.
private struct Daemon {
    private var places: [String: (host: String, school: String)] = [:]
    private var machines: [String: CameraStateMachine] = [:]
    var fleetGuard: FleetGuard

    init(policy: FleetGuardPolicy = .default) {
        fleetGuard = FleetGuard(policy: policy)
    }

    mutating func add(_ cameras: [String], host: String, school: String) {
        for camera in cameras { places[camera] = (host, school) }
    }

    mutating func probe(_ camera: String, _ failure: ReasonCode?, at seconds: TimeInterval) -> [FleetEvent] {
        let place = places[camera]!
        let verdict = verdict(failure)
        let actions = machines[camera, default: CameraStateMachine()].record(verdict, at: at(seconds))
        let outcome = ProbeOutcome(camera: camera, host: place.host, school: place.school, verdict: verdict, at: at(seconds))!
        return fleetGuard.record(outcome, actions: actions)
    }

    /// Probes `cameras` in order, `spacing` seconds apart from `time`; a
    /// camera's failure is `failure(camera)`.
    mutating func sweep(
        _ cameras: [String], at time: TimeInterval, spacing: TimeInterval = 1, _ failure: (String) -> ReasonCode?
    ) -> [FleetEvent] {
        var events: [FleetEvent] = []
        for (index, camera) in cameras.enumerated() {
            events += probe(camera, failure(camera), at: time + spacing * Double(index))
        }
        return events
    }

    mutating func sweep(
        _ cameras: [String], at time: TimeInterval, spacing: TimeInterval = 1, _ failure: ReasonCode? = nil
    ) -> [FleetEvent] {
        sweep(cameras, at: time, spacing: spacing) { _ in failure }
    }
}

/// One event per camera of `cameras` probed `spacing` apart from `time`.
private func each(
    _ cameras: [String], at time: TimeInterval, spacing: TimeInterval = 1, _ event: (String, TimeInterval) -> FleetEvent
) -> [FleetEvent] {
    cameras.enumerated().map { event($1, time + spacing * Double($0)) }
}

/// The first sweep publishes every camera `up`.
private func firstSweepPublishes(_ cameras: [String], at time: TimeInterval = 0, spacing: TimeInterval = 1) -> [FleetEvent] {
    each(cameras, at: time, spacing: spacing) { .publish(change($0, .unknown, .up, nil, since: $1, at: $1)) }
}

@Suite struct FleetGuardTests {
    // MARK: Hosts

    static let dvr = channels("dvr1", 16)
    static let dvrHost = "10.20.0.5"

    /// A 16-channel DVR whose every channel stops answering at 300 s, probed
    /// (with the state machines' retries) at 300, 330 and 360 s.
    private func dvrDown() -> Daemon {
        var daemon = Daemon()
        daemon.add(Self.dvr, host: Self.dvrHost, school: "school-12")
        #expect(daemon.sweep(Self.dvr, at: 0) == firstSweepPublishes(Self.dvr))
        #expect(daemon.sweep(Self.dvr, at: 300, .probeTimeoutConnect) == [])
        #expect(daemon.sweep(Self.dvr, at: 330, .probeTimeoutConnect) == [])
        let failure = GroupFailure(
            reason: .probeTimeoutConnect, failing: 16, probed: 16, since: at(300), cameras: Self.dvr)
        #expect(daemon.sweep(Self.dvr, at: 360, .probeTimeoutConnect) == [.hostDown(host: Self.dvrHost, failure)]
            + each(Self.dvr, at: 360) {
                .suppress(change($0, .up, .down, .probeTimeoutConnect, since: $1 - 60, at: $1), because: .host(Self.dvrHost))
            })
        return daemon
    }

    @Test func record_whenAllSixteenChannelsOfADVRFail_reportsTheHostOnceAndSuppressesItsCameras() {
        let daemon = dvrDown()
        #expect(daemon.fleetGuard.downHosts.keys.sorted() == [Self.dvrHost])
        #expect(daemon.fleetGuard.downSchools.isEmpty)
        #expect(daemon.fleetGuard.proberDegradation == nil)
        for camera in Self.dvr {
            #expect(daemon.fleetGuard.cover(of: camera) == .host(Self.dvrHost))
            #expect(daemon.fleetGuard.publishedState(of: camera) == .up)
        }
    }

    @Test func record_whenTheDVRComesBack_reportsItsRecoveryOnceAndNoCamera() {
        var daemon = dvrDown()
        // Failing share since 300 s: 15/16 … 8/16 still hold (≥ 0.5); the 9th
        // camera answering makes it 7/16.
        #expect(daemon.sweep(Self.dvr, at: 600) == [.hostRecovered(host: Self.dvrHost)])
        #expect(daemon.sweep(Self.dvr, at: 630) == each(Self.dvr, at: 630) {
            .suppress(change($0, .down, .up, nil, since: $1 - 30, at: $1), because: .unchanged)
        })
        #expect(daemon.fleetGuard.downHosts.isEmpty)
        #expect(Self.dvr.allSatisfy { daemon.fleetGuard.cover(of: $0) == nil })
    }

    @Test func record_whenOneChannelStaysDeadAfterTheDVRComesBack_publishesThatCameraOnce() {
        var daemon = dvrDown()
        let dead = "dvr1-ch07"
        let alive = Self.dvr.filter { $0 != dead }
        // 6 answer, ch07 fails, then ch08, ch09, ch10: 9 answered, 7/16 failing.
        #expect(daemon.sweep(Self.dvr, at: 600) { $0 == dead ? .probeRefused : nil } == [.hostRecovered(host: Self.dvrHost)])
        #expect(daemon.sweep(alive, at: 630) == alive.enumerated().map { index, camera in
            let first = 600 + Double(Self.dvr.firstIndex(of: camera)!)
            return .suppress(change(camera, .down, .up, nil, since: first, at: 630 + Double(index)), because: .unchanged)
        })
        #expect(daemon.probe(dead, .probeRefused, at: 900) == [
            .publish(change(dead, .up, .down, .probeRefused, since: 306, at: 900))
        ])
        #expect(daemon.probe(dead, .probeRefused, at: 1200) == [])
        #expect(daemon.fleetGuard.publishedState(of: dead) == .down)
    }

    @Test func record_whenOneOfSixteenChannelsFails_publishesJustThatCamera() {
        var daemon = Daemon()
        daemon.add(Self.dvr, host: Self.dvrHost, school: "school-12")
        _ = daemon.sweep(Self.dvr, at: 0)
        let broken = "dvr1-ch05"
        #expect(daemon.sweep(Self.dvr, at: 300) { $0 == broken ? .probeNotFound : nil } == [])
        #expect(daemon.probe(broken, .probeNotFound, at: 334) == [])
        #expect(daemon.probe(broken, .probeNotFound, at: 364) == [
            .publish(change(broken, .up, .down, .probeNotFound, since: 304, at: 364))
        ])
        #expect(daemon.fleetGuard.downHosts.isEmpty)
    }

    @Test func record_whenTwoChannelsFailIndependently_publishesBothCameras() {
        var daemon = Daemon()
        daemon.add(Self.dvr, host: Self.dvrHost, school: "school-12")
        _ = daemon.sweep(Self.dvr, at: 0)
        let broken: Set = ["dvr1-ch03", "dvr1-ch09"]
        #expect(daemon.sweep(Self.dvr, at: 300) { broken.contains($0) ? .pictureUniform : nil } == [])
        #expect(daemon.probe("dvr1-ch03", .pictureUniform, at: 332) == [])
        #expect(daemon.probe("dvr1-ch09", .pictureUniform, at: 338) == [])
        #expect(daemon.probe("dvr1-ch03", .pictureUniform, at: 362) == [
            .publish(change("dvr1-ch03", .up, .down, .pictureUniform, since: 302, at: 362))
        ])
        #expect(daemon.probe("dvr1-ch09", .pictureUniform, at: 368) == [
            .publish(change("dvr1-ch09", .up, .down, .pictureUniform, since: 308, at: 368))
        ])
    }

    @Test func record_whenTheDVRBlipsFor30Seconds_alertsNobody() {
        var daemon = Daemon()
        daemon.add(Self.dvr, host: Self.dvrHost, school: "school-12")
        _ = daemon.sweep(Self.dvr, at: 0)
        #expect(daemon.sweep(Self.dvr, at: 300, .probeRefused) == [])
        #expect(daemon.sweep(Self.dvr, at: 330) == [])
        #expect(daemon.fleetGuard.downHosts.isEmpty)
    }

    /// Channels of a 4-channel DVR probed 75 s apart: when the first camera's
    /// failure is confirmed no other channel has been probed since the outage,
    /// so it is published alone; from the second camera on it is the host.
    @Test func record_whenADVRsChannelsAreProbedFarApart_publishesTheFirstCameraThenTheHost() {
        var daemon = Daemon()
        let nvr = channels("nvr4", 4)
        let host = "10.30.0.7"
        daemon.add(nvr, host: host, school: "school-7")
        #expect(daemon.sweep(nvr, at: 0, spacing: 75) == firstSweepPublishes(nvr, spacing: 75))

        func fails(_ camera: String, from time: TimeInterval) -> [FleetEvent] {
            daemon.probe(camera, .probeUnreachable, at: time) + daemon.probe(camera, .probeUnreachable, at: time + 30)
                + daemon.probe(camera, .probeUnreachable, at: time + 60)
        }
        #expect(fails(nvr[0], from: 300) == [.publish(change(nvr[0], .up, .down, .probeUnreachable, since: 300, at: 360))])
        #expect(fails(nvr[1], from: 375) == [
            .hostDown(host: host, GroupFailure(reason: .probeUnreachable, failing: 2, probed: 2, since: at(300), cameras: nvr)),
            .suppress(change(nvr[1], .up, .down, .probeUnreachable, since: 375, at: 435), because: .host(host)),
        ])
        #expect(fails(nvr[2], from: 450) == [
            .suppress(change(nvr[2], .up, .down, .probeUnreachable, since: 450, at: 510), because: .host(host))
        ])
        #expect(fails(nvr[3], from: 525) == [
            .suppress(change(nvr[3], .up, .down, .probeUnreachable, since: 525, at: 585), because: .host(host))
        ])

        func answers(_ camera: String, from time: TimeInterval) -> [FleetEvent] {
            daemon.probe(camera, nil, at: time) + daemon.probe(camera, nil, at: time + 30)
        }
        // ch01 answers: 3 of 4 still failing since 300 s; its recovery waits.
        #expect(answers(nvr[0], from: 600) == [
            .suppress(change(nvr[0], .down, .up, nil, since: 600, at: 630), because: .host(host))
        ])
        // 2 of 4: exactly the recovery share, still down.
        #expect(answers(nvr[1], from: 675) == [
            .suppress(change(nvr[1], .down, .up, nil, since: 675, at: 705), because: .host(host))
        ])
        // 1 failing: below the minimum of 2.
        #expect(answers(nvr[2], from: 750) == [
            .hostRecovered(host: host),
            .suppress(change(nvr[2], .down, .up, nil, since: 750, at: 780), because: .unchanged),
        ])
        #expect(answers(nvr[3], from: 825) == [
            .suppress(change(nvr[3], .down, .up, nil, since: 825, at: 855), because: .unchanged)
        ])
        // Operators were told ch01 was down: its next probe tells them it is back.
        #expect(daemon.probe(nvr[0], nil, at: 900) == [.publish(change(nvr[0], .down, .up, nil, since: 600, at: 900))])
        #expect(daemon.probe(nvr[1], nil, at: 975) == [])
        #expect(nvr.allSatisfy { daemon.fleetGuard.publishedState(of: $0) == .up })
    }

    @Test func record_whenThreeOfFourChannelsFail_reportsTheHost() {
        var daemon = Daemon()
        let nvr = channels("nvr4", 4)
        daemon.add(nvr, host: "10.30.0.7", school: "school-7")
        _ = daemon.sweep(nvr, at: 0)
        #expect(daemon.sweep(nvr, at: 300) { $0 == nvr[3] ? nil : .probeRefused } == [])
        #expect(daemon.sweep(Array(nvr[0..<3]), at: 330, .probeRefused) == [])
        let failure = GroupFailure(reason: .probeRefused, failing: 3, probed: 4, since: at(300), cameras: nvr)
        #expect(daemon.sweep(Array(nvr[0..<3]), at: 360, .probeRefused) == [.hostDown(host: "10.30.0.7", failure)]
            + each(Array(nvr[0..<3]), at: 360) {
                .suppress(change($0, .up, .down, .probeRefused, since: $1 - 60, at: $1), because: .host("10.30.0.7"))
            })
        #expect(daemon.fleetGuard.cover(of: nvr[3]) == .host("10.30.0.7"))
    }

    @Test func record_whenTwoOfThreeChannelsFail_publishesTheCameras() {
        var daemon = Daemon()
        let nvr = channels("nvr3", 3)
        daemon.add(nvr, host: "10.30.0.8", school: "school-8")
        _ = daemon.sweep(nvr, at: 0)
        #expect(daemon.sweep(nvr, at: 300) { $0 == nvr[2] ? nil : .probeRefused } == [])
        #expect(daemon.sweep(Array(nvr[0..<2]), at: 330, .probeRefused) == [])
        #expect(daemon.sweep(Array(nvr[0..<2]), at: 360, .probeRefused) == each(Array(nvr[0..<2]), at: 360) {
            .publish(change($0, .up, .down, .probeRefused, since: $1 - 60, at: $1))
        })
    }

    @Test func record_whenBothCamerasOfATwoChannelNVRFail_reportsTheHost() {
        var daemon = Daemon()
        let nvr = channels("nvr2", 2)
        daemon.add(nvr, host: "10.30.0.9", school: "school-9")
        _ = daemon.sweep(nvr, at: 0)
        _ = daemon.sweep(nvr, at: 300, .probeDNS)
        _ = daemon.sweep(nvr, at: 330, .probeDNS)
        let failure = GroupFailure(reason: .probeDNS, failing: 2, probed: 2, since: at(300), cameras: nvr)
        #expect(daemon.sweep(nvr, at: 360, .probeDNS) == [
            .hostDown(host: "10.30.0.9", failure),
            .suppress(change(nvr[0], .up, .down, .probeDNS, since: 300, at: 360), because: .host("10.30.0.9")),
            .suppress(change(nvr[1], .up, .down, .probeDNS, since: 301, at: 361), because: .host("10.30.0.9")),
        ])
    }

    @Test func record_whenTheOnlyCameraOfAHostFails_publishesTheCamera() {
        var daemon = Daemon()
        daemon.add(["ip-1"], host: "10.30.1.1", school: "school-1")
        _ = daemon.probe("ip-1", nil, at: 0)
        _ = daemon.probe("ip-1", .probeRefused, at: 300)
        _ = daemon.probe("ip-1", .probeRefused, at: 330)
        #expect(daemon.probe("ip-1", .probeRefused, at: 360) == [
            .publish(change("ip-1", .up, .down, .probeRefused, since: 300, at: 360))
        ])
    }

    @Test func remove_whenABlamedHostLosesAllItsCameras_recoversIt() {
        var daemon = Daemon()
        let nvr = channels("nvr2", 2)
        daemon.add(nvr, host: "10.30.0.9", school: "school-9")
        _ = daemon.sweep(nvr, at: 0)
        for time in [300.0, 330, 360] { _ = daemon.sweep(nvr, at: time, .probeRefused) }
        #expect(daemon.fleetGuard.downHosts.keys.sorted() == ["10.30.0.9"])
        #expect(daemon.fleetGuard.remove(camera: nvr[0]) == [])
        #expect(daemon.fleetGuard.remove(camera: nvr[1]) == [.hostRecovered(host: "10.30.0.9")])
        #expect(daemon.fleetGuard.downHosts.isEmpty)
    }

    @Test func restore_afterARestart_publishesTheNextChangeFromTheStoredState() {
        var fleetGuard = FleetGuard()
        fleetGuard.restore(
            camera: "ip-1", host: "10.30.1.1", school: "school-1", state: .down, reasons: verdict(.probeRefused).reasons,
            since: at(-3600))
        #expect(fleetGuard.publishedState(of: "ip-1") == .down)
        var machine = CameraStateMachine(state: .down, reasons: verdict(.probeRefused).reasons, since: at(-3600))
        func probe(_ seconds: TimeInterval) -> [FleetEvent] {
            let actions = machine.record(verdict(nil), at: at(seconds))
            let outcome = ProbeOutcome(camera: "ip-1", host: "10.30.1.1", school: "school-1", failure: nil, at: at(seconds))
            return fleetGuard.record(outcome, actions: actions)
        }
        #expect(probe(0) == [])
        #expect(probe(30) == [.publish(change("ip-1", .down, .up, nil, since: 0, at: 30))])
    }

    // MARK: Schools

    @Test func record_whenASchoolsUplinkFails_reportsTheSchoolOnceNotEachHost() {
        var daemon = Daemon()
        let nvr = channels("nvr", 4)
        daemon.add(nvr, host: "10.40.0.2", school: "school-40")
        daemon.add(["ip-10"], host: "10.40.0.10", school: "school-40")
        daemon.add(["ip-11"], host: "10.40.0.11", school: "school-40")
        let all = nvr + ["ip-10", "ip-11"]
        _ = daemon.sweep(all, at: 0)
        #expect(daemon.sweep(all, at: 300, .probeUnreachable) == [])
        #expect(daemon.sweep(all, at: 330, .probeUnreachable) == [])
        let failure = GroupFailure(reason: .probeUnreachable, failing: 6, probed: 6, since: at(300), cameras: all.sorted())
        #expect(daemon.sweep(all, at: 360, .probeUnreachable) == [.schoolDown(school: "school-40", failure)]
            + each(all, at: 360) {
                .suppress(change($0, .up, .down, .probeUnreachable, since: $1 - 60, at: $1), because: .school("school-40"))
            })
        #expect(daemon.fleetGuard.downHosts.isEmpty)

        #expect(daemon.sweep(all, at: 600) == [.schoolRecovered(school: "school-40")])
    }

    @Test func record_whenTwoCamerasOfASchoolFail_publishesTheCameras() {
        var daemon = Daemon()
        daemon.add(["ip-20"], host: "10.40.0.20", school: "school-41")
        daemon.add(["ip-21"], host: "10.40.0.21", school: "school-41")
        let both = ["ip-20", "ip-21"]
        _ = daemon.sweep(both, at: 0)
        _ = daemon.sweep(both, at: 300, .probeUnreachable)
        _ = daemon.sweep(both, at: 330, .probeUnreachable)
        #expect(daemon.sweep(both, at: 360, .probeUnreachable) == each(both, at: 360) {
            .publish(change($0, .up, .down, .probeUnreachable, since: $1 - 60, at: $1))
        })
    }

    @Test func record_whenThreeOfFourSchoolCamerasAcrossHostsFail_reportsTheSchool() {
        var daemon = Daemon()
        let cameras = ["ip-30", "ip-31", "ip-32", "ip-33"]
        for (index, camera) in cameras.enumerated() {
            daemon.add([camera], host: "10.40.1.\(index)", school: "school-42")
        }
        _ = daemon.sweep(cameras, at: 0)
        let failing = Array(cameras[0..<3])
        #expect(daemon.sweep(cameras, at: 300) { $0 == "ip-33" ? nil : .probeTimeoutConnect } == [])
        #expect(daemon.sweep(failing, at: 330, .probeTimeoutConnect) == [])
        let failure = GroupFailure(reason: .probeTimeoutConnect, failing: 3, probed: 4, since: at(300), cameras: cameras)
        #expect(daemon.sweep(failing, at: 360, .probeTimeoutConnect) == [.schoolDown(school: "school-42", failure)]
            + each(failing, at: 360) {
                .suppress(change($0, .up, .down, .probeTimeoutConnect, since: $1 - 60, at: $1), because: .school("school-42"))
            })
    }

    // MARK: The prober

    /// 24 IP cameras, each its own host, 5 to a school, and the 16-channel DVR.
    static let ipCameras = (0..<24).map { $0 < 10 ? "ip-0\($0)" : "ip-\($0)" }
    static let fleet = dvr + ipCameras

    private func fleetDaemon() -> Daemon {
        var daemon = Daemon()
        daemon.add(Self.dvr, host: Self.dvrHost, school: "school-12")
        for (index, camera) in Self.ipCameras.enumerated() {
            daemon.add([camera], host: "10.50.0.\(index)", school: "school-\(index / 5)")
        }
        #expect(daemon.sweep(Self.fleet, at: 0, spacing: 0.5) == firstSweepPublishes(Self.fleet, spacing: 0.5))
        return daemon
    }

    /// Every probe fails from 300 s: the prober's own network.
    private func proberDown() -> Daemon {
        var daemon = fleetDaemon()
        #expect(daemon.sweep(Self.fleet, at: 300, spacing: 0.5, .probeTimeoutConnect) == [])
        #expect(daemon.sweep(Self.fleet, at: 330, spacing: 0.5, .probeTimeoutConnect) == [])
        let degradation = ProberDegradation(reason: .probeTimeoutConnect, failing: 40, probed: 40, hosts: 25, at: at(360))
        #expect(daemon.sweep(Self.fleet, at: 360, spacing: 0.5, .probeTimeoutConnect) == [.proberDegraded(degradation)]
            + each(Self.fleet, at: 360, spacing: 0.5) {
                .suppress(change($0, .up, .down, .probeTimeoutConnect, since: $1 - 60, at: $1), because: .prober)
            })
        return daemon
    }

    @Test func record_whenTheWholeFleetFailsAtOnce_reportsTheProberAndNoCameraHostOrSchool() {
        let daemon = proberDown()
        #expect(daemon.fleetGuard.proberDegradation?.reason == .probeTimeoutConnect)
        #expect(daemon.fleetGuard.downHosts.isEmpty)
        #expect(daemon.fleetGuard.downSchools.isEmpty)
        #expect(Self.fleet.allSatisfy { daemon.fleetGuard.cover(of: $0) == .prober })
    }

    @Test func record_whenTheProberRecovers_camerasComeBackSilentlyAndADeadOneIsConfirmedTwice() {
        var daemon = proberDown()
        let dead = "ip-07"
        let alive = Self.fleet.filter { $0 != dead }
        // The 20th probe of the new window (dvr1 ch01…16, ip-00…03, at 609.5 s)
        // decides: 0 of 20 failing.
        #expect(daemon.sweep(Self.fleet, at: 600, spacing: 0.5) { $0 == dead ? .probeRefused : nil } == [.proberRecovered])
        #expect(daemon.sweep(alive, at: 630, spacing: 0.5) == alive.map { camera in
            let second = 630 + 0.5 * Double(alive.firstIndex(of: camera)!)
            let first = 600 + 0.5 * Double(Self.fleet.firstIndex(of: camera)!)
            return .suppress(change(camera, .down, .up, nil, since: first, at: second), because: .unchanged)
        })
        // ip-07's failure at 611.5 s, after the recovery at 609.5 s, was the
        // first confirmation; this is the second.
        #expect(daemon.probe(dead, .probeRefused, at: 900) == [
            .publish(change(dead, .up, .down, .probeRefused, since: 300 + 0.5 * 23, at: 900))
        ])
        #expect(daemon.probe(dead, .probeRefused, at: 1200) == [])
        #expect(daemon.fleetGuard.proberDegradation == nil)
    }

    @Test func record_whenHalfOfTwentyCamerasFailAtNetworkLevel_reportsTheProber() {
        var daemon = Daemon()
        let cameras = Array(Self.ipCameras[0..<20])
        for (index, camera) in cameras.enumerated() {
            daemon.add([camera], host: "10.60.0.\(index)", school: "school-\(index)")
        }
        let failing = Array(cameras[0..<10])
        _ = daemon.sweep(cameras, at: 0, spacing: 0.5)
        #expect(daemon.sweep(cameras, at: 300, spacing: 0.5) { failing.contains($0) ? .probeUnreachable : nil } == [])
        #expect(daemon.sweep(failing, at: 330, spacing: 0.5, .probeUnreachable) == [])
        let degradation = ProberDegradation(reason: .probeUnreachable, failing: 10, probed: 20, hosts: 10, at: at(360))
        #expect(daemon.sweep(failing, at: 360, spacing: 0.5, .probeUnreachable) == [.proberDegraded(degradation)]
            + each(failing, at: 360, spacing: 0.5) {
                .suppress(change($0, .up, .down, .probeUnreachable, since: $1 - 60, at: $1), because: .prober)
            })
    }

    @Test func record_whenNineOfTwentyCamerasFail_publishesTheCameras() {
        var daemon = Daemon()
        let cameras = Array(Self.ipCameras[0..<20])
        for (index, camera) in cameras.enumerated() {
            daemon.add([camera], host: "10.60.0.\(index)", school: "school-\(index)")
        }
        let failing = Array(cameras[0..<9])
        _ = daemon.sweep(cameras, at: 0, spacing: 0.5)
        _ = daemon.sweep(cameras, at: 300, spacing: 0.5) { failing.contains($0) ? .probeUnreachable : nil }
        _ = daemon.sweep(failing, at: 330, spacing: 0.5, .probeUnreachable)
        #expect(daemon.sweep(failing, at: 360, spacing: 0.5, .probeUnreachable) == each(failing, at: 360, spacing: 0.5) {
            .publish(change($0, .up, .down, .probeUnreachable, since: $1 - 60, at: $1))
        })
    }

    @Test func record_whenFewerThanTwentyCamerasAreProbed_neverBlamesTheProber() {
        var daemon = Daemon()
        let cameras = Array(Self.ipCameras[0..<19])
        for (index, camera) in cameras.enumerated() {
            daemon.add([camera], host: "10.60.0.\(index)", school: "school-\(index)")
        }
        _ = daemon.sweep(cameras, at: 0, spacing: 0.5)
        _ = daemon.sweep(cameras, at: 300, spacing: 0.5, .probeUnreachable)
        _ = daemon.sweep(cameras, at: 330, spacing: 0.5, .probeUnreachable)
        #expect(daemon.sweep(cameras, at: 360, spacing: 0.5, .probeUnreachable) == each(cameras, at: 360, spacing: 0.5) {
            .publish(change($0, .up, .down, .probeUnreachable, since: $1 - 60, at: $1))
        })
    }

    @Test func record_whenEveryCameraRejectsTheCredentials_doesNotBlameTheProber() {
        var daemon = Daemon()
        let cameras = Array(Self.ipCameras[0..<20])
        for (index, camera) in cameras.enumerated() {
            daemon.add([camera], host: "10.60.0.\(index)", school: "school-\(index)")
        }
        _ = daemon.sweep(cameras, at: 0, spacing: 0.5)
        _ = daemon.sweep(cameras, at: 300, spacing: 0.5, .probeUnauthorized)
        _ = daemon.sweep(cameras, at: 330, spacing: 0.5, .probeUnauthorized)
        #expect(daemon.sweep(cameras, at: 360, spacing: 0.5, .probeUnauthorized) == each(cameras, at: 360, spacing: 0.5) {
            .publish(change($0, .up, .down, .probeUnauthorized, since: $1 - 60, at: $1))
        })
    }

    @Test func record_whenOneBigDVRIsMostOfASmallFleet_blamesTheHostNotTheProber() {
        var daemon = Daemon()
        let ip = Array(Self.ipCameras[0..<4])
        daemon.add(Self.dvr, host: Self.dvrHost, school: "school-12")
        for (index, camera) in ip.enumerated() {
            daemon.add([camera], host: "10.60.0.\(index)", school: "school-\(index)")
        }
        _ = daemon.sweep(Self.dvr + ip, at: 0, spacing: 0.5)
        // 16 of 20 cameras fail at network level, but on one host.
        _ = daemon.sweep(Self.dvr + ip, at: 300, spacing: 0.5) { ip.contains($0) ? nil : .probeUnreachable }
        _ = daemon.sweep(Self.dvr, at: 330, spacing: 0.5, .probeUnreachable)
        let failure = GroupFailure(reason: .probeUnreachable, failing: 16, probed: 16, since: at(300), cameras: Self.dvr)
        #expect(daemon.sweep(Self.dvr, at: 360, spacing: 0.5, .probeUnreachable) == [.hostDown(host: Self.dvrHost, failure)]
            + each(Self.dvr, at: 360, spacing: 0.5) {
                .suppress(change($0, .up, .down, .probeUnreachable, since: $1 - 60, at: $1), because: .host(Self.dvrHost))
            })
        #expect(daemon.fleetGuard.proberDegradation == nil)
    }

    // MARK: Outcomes

    @Test func outcome_fromVerdicts_countsOnlyConclusiveFailures() {
        let cancelled = Verdict(reasons: [Reason(code: .probeCancelled, severity: .failure)])
        #expect(ProbeOutcome(camera: "c", host: "h", school: "s", verdict: cancelled, at: at(0)) == nil)
        let degraded = Verdict(reasons: [Reason(code: .resolutionBelowMinimum, severity: .violation)])
        #expect(ProbeOutcome(camera: "c", host: "h", school: "s", verdict: degraded, at: at(0))?.failure == nil)
        let black = Verdict(reasons: [
            Reason(code: .cameraAnalog, severity: .info), Reason(code: .pictureBlack, severity: .failure),
        ])
        #expect(ProbeOutcome(camera: "c", host: "h", school: "s", verdict: black, at: at(0))?.failure == .pictureBlack)
    }

    @Test func outcome_fromInventoryCameras_groupsByRecorderHostOrAddressAndSchool() throws {
        let school = School(name: "№ 12 мектеп-гимназия")
        let dvr = Camera(
            id: "dvr-ch01", region: "Жамбыл облысы", district: "Тараз", school: school, kind: .analog,
            mainStream: "rtsp://10.20.0.5:554/Streaming/Channels/101",
            recorder: RecorderChannel(recorder: "dvr", host: "DVR-12.school.kz", channel: 1), profile: "analog-dvr")
        let ip = Camera(
            id: "ip-1", region: "Жамбыл облысы", district: "Тараз", school: School(name: "№ 3", bin: "123456789012"),
            mainStream: "rtsp://10.20.0.9:8554/stream1", profile: "digital-main")
        let outcome = try #require(ProbeOutcome(camera: dvr, verdict: verdict(nil), at: at(0)))
        #expect(outcome.host == "dvr-12.school.kz")
        #expect(outcome.school == "Жамбыл облысы / Тараз / № 12 мектеп-гимназия")
        #expect(ProbeOutcome.hostKey(for: ip) == "10.20.0.9")
        #expect(ProbeOutcome.schoolKey(for: ip) == "123456789012")
    }

    @Test func suppression_describesItsCauseForTheStatus() {
        #expect(Suppression.prober.description == "prober")
        #expect(Suppression.host("10.20.0.5").description == "host:10.20.0.5")
        #expect(Suppression.school("123456789012").description == "school:123456789012")
        #expect(Suppression.unchanged.description == "unchanged")
    }

    @Test func networkLevel_isWhatTheProbersOwnNetworkWouldCause() {
        let network: [ReasonCode] = [
            .probeDNS, .probeRefused, .probeUnreachable, .probeTimeoutResolve, .probeTimeoutConnect, .probeTimeout,
        ]
        #expect(ReasonCode.allCases.filter(\.isNetworkLevel) == network)
    }
}

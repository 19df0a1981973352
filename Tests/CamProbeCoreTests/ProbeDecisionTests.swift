import CamProbeCore
import Foundation
import Synchronization
import Testing

/// `FleetState.decide` without I/O: what one probe's report means for the
/// schedule, the published status, the history, the outbox and the log.
@Suite struct ProbeDecisionTests {
    static let start = Date(timeIntervalSince1970: 1_764_000_000)

    static func dvrCamera(_ channel: Int, host: String = "10.7.0.1") -> Camera {
        Camera(
            id: "dvr-ch\(channel)", region: "Жамбыл облысы", district: "Тараз", school: School(name: "№ 12", bin: "123456789012"),
            location: "коридор \(channel)", kind: .analog, mainStream: "rtsp://\(host):554/ch\(channel)",
            recorder: RecorderChannel(recorder: "dvr", host: host, channel: channel), profile: "analog-dvr")
    }

    static func builder() -> EventBuilder {
        let counter = Counter()
        return EventBuilder(instance: "zhambyl", language: .ru, makeID: { counter.next() })
    }

    static func fleet(_ cameras: [Camera], restored: [String: FleetState.Restored] = [:]) -> FleetState {
        FleetState(cameras: cameras, restored: restored, machine: .default, fleetGuard: .default)
    }

    @Test func firstGoodProbe_publishesUpWithATransitionAndAStateEvent() throws {
        let camera = Self.dvrCamera(1)
        var fleet = Self.fleet([camera])
        let time = Self.start.addingTimeInterval(0.123_456)
        let decision = fleet.decide(Fleet.h264_d1, camera: camera.id, profile: .analogDVR, at: time, events: Self.builder())

        #expect(decision.schedule == .up)
        let status = try #require(decision.status)
        #expect(status.state == .up)
        #expect(status.width == 704 && status.height == 576 && status.codec == "h264")
        #expect(status.reasons.map(\.code) == ["camera.analog"])  // a note: flagged for replacement
        // Whole milliseconds, as the store keeps them.
        #expect(status.lastProbe == Date(timeIntervalSince1970: 1_764_000_000.123))
        let transition = try #require(decision.transition)
        #expect(transition.from == .unknown && transition.to == .up && transition.camera == camera.id)
        #expect(decision.events.count == 1)
        #expect(decision.events.first?.type == .cameraState)
        #expect(decision.events.first?.subject == camera.id)
        #expect(fleet.statuses[camera.id] == status)
        #expect(fleet.counts.up == 1 && fleet.counts.cameras == 1)
    }

    @Test func failuresConfirmDownOnTheThirdProbe_withRetriesBefore() throws {
        let camera = Self.dvrCamera(1)
        var fleet = Self.fleet([camera])
        let events = Self.builder()
        _ = fleet.decide(Fleet.h264_d1, camera: camera.id, profile: .analogDVR, at: Self.start, events: events)
        _ = fleet.decide(Fleet.h264_d1, camera: camera.id, profile: .analogDVR, at: Self.start + 300, events: events)
        let first = fleet.decide(Fleet.failed(.refused), camera: camera.id, profile: .analogDVR, at: Self.start + 600, events: events)
        #expect(first.schedule == .retry(after: 30))
        #expect(first.transition == nil && first.events.isEmpty)
        #expect(first.status?.state == .up)
        let second = fleet.decide(Fleet.failed(.refused), camera: camera.id, profile: .analogDVR, at: Self.start + 630, events: events)
        #expect(second.transition == nil)
        let third = fleet.decide(Fleet.failed(.refused), camera: camera.id, profile: .analogDVR, at: Self.start + 660, events: events)
        #expect(third.schedule == .down)
        let transition = try #require(third.transition)
        #expect(transition.from == .up && transition.to == .down)
        // Down since the first failure of the streak.
        #expect(transition.at == Self.start + 600)
        #expect(third.events.map(\.type) == [.cameraState])
        #expect(third.notices.map(\.level) == [.warning])
        #expect(third.notices.first?.metadata["camera"] == camera.id)
        #expect(third.notices.first?.metadata["reason"] == "probe.refused")
    }

    @Test func inconclusiveProbe_retriesSoonAndPublishesNothing() {
        let camera = Self.dvrCamera(1)
        var fleet = Self.fleet([camera])
        let decision = fleet.decide(Fleet.failed(.cancelled), camera: camera.id, profile: .analogDVR, at: Self.start, events: Self.builder())
        #expect(decision.schedule == .retry(after: ProbeDecision.inconclusiveRetry))
        #expect(decision.status == nil && decision.transition == nil && decision.events.isEmpty)
        #expect(fleet.statuses[camera.id]?.state == .unknown)
    }

    @Test func cameraGoneDuringItsProbe_decidesNothing() {
        var fleet = Self.fleet([Self.dvrCamera(1)])
        let decision = fleet.decide(Fleet.h264_d1, camera: "nobody", profile: .analogDVR, at: Self.start, events: Self.builder())
        #expect(decision == .cameraGone)
        #expect(fleet.statuses["nobody"] == nil)
    }

    @Test func wholeRecorderDown_oneHostEventWithItsCameras_andCameraChangesHeldBack() throws {
        let cameras = (1...8).map { Self.dvrCamera($0) }
        var fleet = Self.fleet(cameras)
        let events = Self.builder()
        for camera in cameras {
            _ = fleet.decide(Fleet.h264_d1, camera: camera.id, profile: .analogDVR, at: Self.start, events: events)
        }
        var decisions: [ProbeDecision] = []
        for round in 0..<3 {
            for (index, camera) in cameras.enumerated() {
                let time = Self.start + 600 + Double(round * 30 + index)
                decisions.append(fleet.decide(Fleet.failed(.refused), camera: camera.id, profile: .analogDVR, at: time, events: events))
            }
        }
        let all = decisions.flatMap(\.events)
        let hostEvents = all.filter { $0.type == .hostState }
        #expect(hostEvents.count == 1)
        #expect(hostEvents.first?.subject == "10.7.0.1")
        guard case let .group(data)? = hostEvents.first?.data else {
            Issue.record("the host event carries no group data")
            return
        }
        #expect(data.state == .down)
        #expect(data.district == "Тараз" && data.school == "№ 12")
        // Every camera ends down, but their changes are explained by the host.
        #expect(cameras.allSatisfy { fleet.statuses[$0.id]?.state == .down })
        #expect(cameras.allSatisfy { fleet.statuses[$0.id]?.affectedBy == "host:10.7.0.1" })
        let stateEvents = all.filter { $0.type == .cameraState }
        #expect(stateEvents.allSatisfy { event in
            if case let .camera(data) = event.data { return !data.alerted } else { return false }
        })
        #expect(decisions.flatMap(\.notices).contains { $0.level == .error && $0.message.hasPrefix("host down") })
    }

    @Test func restoredCamera_keepsItsStateAndPublishesTheRecoveryFromThere() throws {
        let camera = Self.dvrCamera(1)
        var saved = FleetState.initialStatus(of: camera)
        saved.state = .down
        saved.since = Self.start
        var fleet = Self.fleet([camera], restored: [camera.id: FleetState.Restored(status: saved, signature: nil)])
        #expect(fleet.statuses[camera.id]?.state == .down)
        let events = Self.builder()
        _ = fleet.decide(Fleet.h264_d1, camera: camera.id, profile: .analogDVR, at: Self.start + 60, events: events)
        let back = fleet.decide(Fleet.h264_d1, camera: camera.id, profile: .analogDVR, at: Self.start + 90, events: events)
        let transition = try #require(back.transition)
        #expect(transition.from == .down && transition.to == .up)
    }

    @Test func reload_forgetsRemovedCamerasAndTakesNewInventoryFields() {
        let one = Self.dvrCamera(1), two = Self.dvrCamera(2)
        var fleet = Self.fleet([one, two])
        _ = fleet.decide(Fleet.h264_d1, camera: one.id, profile: .analogDVR, at: Self.start, events: Self.builder())
        var moved = one
        moved.location = "спортзал"
        let (removed, _) = fleet.reload([moved])
        #expect(removed == [two.id])
        #expect(fleet.statuses[two.id] == nil && fleet.cameras[two.id] == nil)
        #expect(fleet.statuses[one.id]?.location == "спортзал")
        #expect(fleet.statuses[one.id]?.state == .up)  // what was decided stays
    }
}

/// Event ids in order, so the events compare.
private final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> String {
        value.withLock { value in
            value += 1
            return "event-\(value)"
        }
    }
}

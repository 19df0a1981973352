import CamProbeCore
import Foundation
import Testing

private let start = Date(timeIntervalSince1970: 1_700_000_000)

/// `seconds` after the test's epoch.
private func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

/// Verdicts as the policy returns them for a working, a dead and a
/// non-compliant camera, and for a probe the prober cut short.
private enum Verdicts {
    static let up = Verdict(reasons: [])
    static let upWithWarning = Verdict(reasons: [
        Reason(code: .frameRateBelowRecommended, severity: .warning, measured: "20 fps", expected: "≥ 25 fps")
    ])
    static let refused = Verdict(reasons: [
        Reason(code: .probeRefused, severity: .failure, measured: "connection refused")
    ])
    static let timeout = Verdict(reasons: [
        Reason(code: .probeTimeoutConnect, severity: .failure, measured: "no answer in 5 s")
    ])
    static let lowResolution = Verdict(reasons: [
        Reason(code: .resolutionBelowMinimum, severity: .violation, measured: "1280×720", expected: "≥ 1920×1080")
    ])
    static let cancelled = Verdict(reasons: [Reason(code: .probeCancelled, severity: .failure)])
}

/// A camera published `up` at 0 s.
private func upCamera(_ policy: StateMachinePolicy = .default) -> CameraStateMachine {
    var machine = CameraStateMachine(policy: policy)
    _ = machine.record(Verdicts.up, at: at(0))
    return machine
}

@Suite struct CameraStateMachineTests {
    @Test func record_whenFirstProbeWorks_publishesUpAtOnce() {
        var machine = CameraStateMachine()
        #expect(machine.state == .unknown)
        #expect(machine.record(Verdicts.upWithWarning, at: at(0)) == [
            .transition(from: .unknown, to: .up, reasons: Verdicts.upWithWarning.reasons, since: at(0), at: at(0))
        ])
        #expect(machine.state == .up)
        #expect(machine.phase == .steady)
        #expect(machine.since == at(0))
    }

    @Test func record_whenCameraStops_goesDownAfterExactlyThreeFailuresWithRetries() {
        var machine = upCamera()
        #expect(machine.record(Verdicts.refused, at: at(300)) == [.scheduleRetry(after: 30)])
        #expect(machine.state == .up)
        #expect(machine.phase == .suspect(toward: .down, count: 1))
        #expect(machine.record(Verdicts.refused, at: at(330)) == [.scheduleRetry(after: 30)])
        #expect(machine.state == .up)
        #expect(machine.phase == .suspect(toward: .down, count: 2))
        #expect(machine.record(Verdicts.refused, at: at(360)) == [
            .transition(from: .up, to: .down, reasons: Verdicts.refused.reasons, since: at(300), at: at(360))
        ])
        #expect(machine.state == .down)
        #expect(machine.phase == .steady)
        #expect(machine.since == at(300))
        #expect(machine.lastTransition == at(360))
        #expect(machine.duration(at: at(900)) == 600)
    }

    @Test(arguments: [1, 2, 3, 5])
    func record_withFailuresToDown_goesDownOnTheNthFailureAndNotBefore(_ failures: Int) {
        var machine = upCamera(StateMachinePolicy(failuresToDown: failures, retryInterval: 20))
        for index in 0..<(failures - 1) {
            #expect(machine.record(Verdicts.timeout, at: at(300 + 20 * Double(index))) == [.scheduleRetry(after: 20)])
            #expect(machine.state == .up)
        }
        let last = at(300 + 20 * Double(failures - 1))
        #expect(machine.record(Verdicts.timeout, at: last) == [
            .transition(from: .up, to: .down, reasons: Verdicts.timeout.reasons, since: at(300), at: last)
        ])
    }

    @Test func record_whenDownCameraAnswers_recoversAfterTwoGoodProbesWithARetry() {
        var machine = CameraStateMachine(state: .down, reasons: Verdicts.refused.reasons, since: at(-3600))
        #expect(machine.duration(at: at(0)) == 3600)
        #expect(machine.record(Verdicts.up, at: at(0)) == [.scheduleRetry(after: 30)])
        #expect(machine.state == .down)
        #expect(machine.phase == .recovering(toward: .up, count: 1))
        #expect(machine.record(Verdicts.up, at: at(30)) == [
            .transition(from: .down, to: .up, reasons: [], since: at(0), at: at(30))
        ])
        #expect(machine.state == .up)
        #expect(machine.since == at(0))
    }

    @Test(arguments: [1, 2, 4])
    func record_withSuccessesToRecover_recoversOnTheMthGoodProbe(_ successes: Int) {
        var machine = CameraStateMachine(
            state: .down, since: at(0), policy: StateMachinePolicy(successesToRecover: successes))
        for index in 0..<(successes - 1) {
            #expect(machine.record(Verdicts.up, at: at(300 + 30 * Double(index))) == [.scheduleRetry(after: 30)])
            #expect(machine.state == .down)
        }
        let last = at(300 + 30 * Double(successes - 1))
        #expect(machine.record(Verdicts.up, at: last) == [
            .transition(from: .down, to: .up, reasons: [], since: at(300), at: last)
        ])
    }

    @Test func record_whenA30SecondBlip_alertsNobodyAndCountsAfreshNextTime() {
        var machine = upCamera()
        #expect(machine.record(Verdicts.refused, at: at(300)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.up, at: at(330)) == [])
        #expect(machine.state == .up)
        #expect(machine.phase == .steady)

        #expect(machine.record(Verdicts.refused, at: at(630)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.refused, at: at(660)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.refused, at: at(690)) == [
            .transition(from: .up, to: .down, reasons: Verdicts.refused.reasons, since: at(630), at: at(690))
        ])
    }

    @Test func record_whenRecoveringCameraFailsAgain_staysDown() {
        var machine = CameraStateMachine(state: .down, since: at(0))
        #expect(machine.record(Verdicts.up, at: at(300)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.refused, at: at(330)) == [])
        #expect(machine.state == .down)
        #expect(machine.phase == .steady)
        #expect(machine.reasons == Verdicts.refused.reasons)
    }

    @Test func record_whenInconclusive_changesNothing() {
        var fresh = CameraStateMachine()
        #expect(fresh.record(Verdicts.cancelled, at: at(0)) == [])
        #expect(fresh == CameraStateMachine())

        var machine = upCamera()
        #expect(machine.record(Verdicts.refused, at: at(300)) == [.scheduleRetry(after: 30)])
        let suspect = machine
        #expect(machine.record(Verdicts.cancelled, at: at(330)) == [])
        #expect(machine == suspect)
        // Neither counted nor breaking the streak: two more real failures confirm.
        #expect(machine.record(Verdicts.refused, at: at(360)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.cancelled, at: at(390)) == [])
        #expect(machine.record(Verdicts.refused, at: at(420)) == [
            .transition(from: .up, to: .down, reasons: Verdicts.refused.reasons, since: at(300), at: at(420))
        ])
    }

    @Test func record_whenNonCompliant_degradesAfterThreeProbesWithoutRetries() {
        var machine = upCamera()
        #expect(machine.record(Verdicts.lowResolution, at: at(300)) == [])
        #expect(machine.phase == .suspect(toward: .degraded, count: 1))
        #expect(machine.record(Verdicts.lowResolution, at: at(600)) == [])
        #expect(machine.state == .up)
        #expect(machine.record(Verdicts.lowResolution, at: at(900)) == [
            .transition(from: .up, to: .degraded, reasons: Verdicts.lowResolution.reasons, since: at(300), at: at(900))
        ])
        #expect(machine.record(Verdicts.up, at: at(1200)) == [])
        #expect(machine.phase == .recovering(toward: .up, count: 1))
        #expect(machine.record(Verdicts.up, at: at(1500)) == [
            .transition(from: .degraded, to: .up, reasons: [], since: at(1200), at: at(1500))
        ])
    }

    @Test func record_whenStreakMixesFailuresAndViolations_confirmsDegradedAndKeepsCountingDown() {
        var machine = upCamera()
        #expect(machine.record(Verdicts.refused, at: at(300)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.lowResolution, at: at(330)) == [])
        #expect(machine.phase == .suspect(toward: .degraded, count: 2))
        #expect(machine.record(Verdicts.refused, at: at(360)) == [
            .transition(from: .up, to: .degraded, reasons: Verdicts.lowResolution.reasons, since: at(300), at: at(360)),
            .scheduleRetry(after: 30),
        ])
        #expect(machine.phase == .suspect(toward: .down, count: 1))
        #expect(machine.record(Verdicts.refused, at: at(390)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.refused, at: at(420)) == [
            .transition(from: .degraded, to: .down, reasons: Verdicts.refused.reasons, since: at(360), at: at(420))
        ])
    }

    @Test func record_whenDownCameraWorksButDoesNotComply_recoversToDegradedFirst() {
        var machine = CameraStateMachine(state: .down, since: at(0))
        #expect(machine.record(Verdicts.lowResolution, at: at(300)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.up, at: at(330)) == [
            .transition(from: .down, to: .degraded, reasons: Verdicts.lowResolution.reasons, since: at(300), at: at(330))
        ])
        #expect(machine.phase == .recovering(toward: .up, count: 1))
        #expect(machine.record(Verdicts.up, at: at(630)) == [
            .transition(from: .degraded, to: .up, reasons: [], since: at(330), at: at(630))
        ])
    }

    @Test func record_whenFirstProbesFail_staysUnknownUntilConfirmed() {
        var machine = CameraStateMachine()
        #expect(machine.record(Verdicts.refused, at: at(0)) == [.scheduleRetry(after: 30)])
        #expect(machine.state == .unknown)
        #expect(machine.phase == .suspect(toward: .down, count: 1))
        #expect(machine.record(Verdicts.refused, at: at(30)) == [.scheduleRetry(after: 30)])
        #expect(machine.record(Verdicts.refused, at: at(60)) == [
            .transition(from: .unknown, to: .down, reasons: Verdicts.refused.reasons, since: at(0), at: at(60))
        ])

        var compliance = CameraStateMachine()
        #expect(compliance.record(Verdicts.lowResolution, at: at(0)) == [])
        #expect(compliance.record(Verdicts.lowResolution, at: at(300)) == [])
        #expect(compliance.record(Verdicts.lowResolution, at: at(600)) == [
            .transition(from: .unknown, to: .degraded, reasons: Verdicts.lowResolution.reasons, since: at(0), at: at(600))
        ])
    }

    @Test func record_whenStateHolds_keepsTheLatestReasons() {
        var machine = CameraStateMachine(state: .down, reasons: Verdicts.refused.reasons, since: at(0))
        #expect(machine.record(Verdicts.timeout, at: at(300)) == [])
        #expect(machine.reasons == Verdicts.timeout.reasons)
    }

    /// Down after 3 failures 30 s apart, up after 2 good probes 30 s apart.
    private func cycle(_ machine: inout CameraStateMachine, from time: TimeInterval) -> [[CameraAction]] {
        [
            machine.record(Verdicts.refused, at: at(time)),
            machine.record(Verdicts.refused, at: at(time + 30)),
            machine.record(Verdicts.refused, at: at(time + 60)),
            machine.record(Verdicts.up, at: at(time + 360)),
            machine.record(Verdicts.up, at: at(time + 390)),
        ]
    }

    @Test func record_whenFlapping_reportsItOnceAndItsEndAfterAQuietHalfHour() {
        var machine = upCamera()
        let retry = CameraAction.scheduleRetry(after: 30)
        let down = { (since: TimeInterval) in
            CameraAction.transition(from: .up, to: .down, reasons: Verdicts.refused.reasons, since: at(since), at: at(since + 60))
        }
        let up = { (since: TimeInterval) in
            CameraAction.transition(from: .down, to: .up, reasons: [], since: at(since), at: at(since + 30))
        }
        #expect(cycle(&machine, from: 300) == [[retry], [retry], [down(300)], [retry], [up(660)]])
        #expect(!machine.isFlapping)
        // The fourth change within 30 minutes (360, 690, 1050, 1380).
        #expect(cycle(&machine, from: 990) == [[retry], [retry], [down(990)], [retry], [up(1350), .flappingStarted]])
        #expect(machine.isFlapping)
        // Said once.
        #expect(machine.record(Verdicts.refused, at: at(1680)) == [retry])
        #expect(machine.record(Verdicts.refused, at: at(1710)) == [retry])
        #expect(machine.record(Verdicts.refused, at: at(1740)) == [down(1680)])
        // Quiet since 1740: not yet at 3539, over at 3540.
        #expect(machine.record(Verdicts.refused, at: at(3539)) == [])
        #expect(machine.isFlapping)
        #expect(machine.record(Verdicts.refused, at: at(3540)) == [.flappingEnded])
        #expect(!machine.isFlapping)
        #expect(machine.state == .down)
    }

    @Test func record_whenChangesAreSpreadOverMoreThanTheWindow_isNotFlapping() {
        var machine = upCamera()
        _ = cycle(&machine, from: 300)  // changes at 360 and 690
        _ = cycle(&machine, from: 2400)  // changes at 2460 and 2790: 2790 - 690 > 1800
        #expect(!machine.isFlapping)
        #expect(machine.state == .up)
    }

    @Test func policy_clampsCountsToOne() {
        let policy = StateMachinePolicy(failuresToDown: 0, successesToRecover: -2, flappingChanges: 0)
        #expect(policy.failuresToDown == 1)
        #expect(policy.successesToRecover == 1)
        #expect(policy.flappingChanges == 1)
        #expect(StateMachinePolicy.default == StateMachinePolicy(
            failuresToDown: 3, successesToRecover: 2, retryInterval: 30, flappingChanges: 4, flappingWindow: 1800,
            flappingQuietPeriod: 1800))
    }
}

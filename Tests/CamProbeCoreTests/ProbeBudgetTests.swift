import CamProbeCore
import Testing

@Suite struct ProbeBudgetTests {
    @Test func overall_coversEveryPhaseOnceAndTheWindow() {
        let budget = ProbeBudget(start: 100, options: ProbeOptions(window: 2, phaseTimeout: 5, stallTimeout: 2))
        let expected: Double = 100 + 10 + 2 + 2 + 1 // start + 2 × phase timeout + window + stall + 1
        #expect(budget.overall == expected)
    }

    @Test func phaseDeadline_isCappedByOverall() {
        let budget = ProbeBudget(start: 0, options: ProbeOptions(window: 2, phaseTimeout: 5, stallTimeout: 2))
        #expect(budget.deadline(for: .connect, startingAt: 1) == 6)
        #expect(budget.deadline(for: .firstFrame, startingAt: 14) == budget.overall)
        #expect(budget.deadline(for: .window, startingAt: 3) == 7)
    }

    @Test func stallLimit_growsForSlowCameras() {
        let budget = ProbeBudget(start: 0, options: ProbeOptions(stallTimeout: 2))
        #expect(budget.stallLimit(medianFrameInterval: nil) == 2)
        #expect(budget.stallLimit(medianFrameInterval: 0.04) == 2)
        // A 1 fps camera is not stalled after two quiet seconds.
        #expect(budget.stallLimit(medianFrameInterval: 1) == 4)
    }
}

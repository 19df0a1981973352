@testable import AMQP
import Testing

struct ConfirmTrackerTests {
    @Test func multipleAck_confirmsEverythingUpToTag() {
        var tracker = ConfirmTracker(firstTag: 11, count: 5)
        tracker.ack(13, multiple: true)
        #expect(tracker.confirmedPrefix == 3)
        tracker.ack(15, multiple: true)
        #expect(tracker.isComplete)
    }

    @Test func singleAcksOutOfOrder_countOnlyTheLeadingRun() {
        var tracker = ConfirmTracker(firstTag: 1, count: 4)
        tracker.ack(2, multiple: false)
        tracker.ack(4, multiple: false)
        #expect(tracker.confirmedPrefix == 0)
        tracker.ack(1, multiple: false)
        #expect(tracker.confirmedPrefix == 2)
        tracker.ack(3, multiple: false)
        #expect(tracker.isComplete)
    }

    @Test func acksOfEarlierBatch_areIgnored() {
        var tracker = ConfirmTracker(firstTag: 101, count: 2)
        tracker.ack(100, multiple: true)
        tracker.ack(50, multiple: false)
        #expect(tracker.confirmedPrefix == 0)
    }

    @Test func nack_pointsAtFirstRefusedMessageOfThisBatch() {
        var tracker = ConfirmTracker(firstTag: 10, count: 5)
        tracker.ack(11, multiple: true)
        #expect(tracker.firstIndex(nackedBy: 13, multiple: false) == 3)
        #expect(tracker.firstIndex(nackedBy: 13, multiple: true) == 2)
        #expect(tracker.firstIndex(nackedBy: 9, multiple: false) == nil)
    }
}

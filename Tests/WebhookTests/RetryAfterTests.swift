import Foundation
import Testing
@testable import Webhook

struct RetryAfterTests {
    private let now = Date(timeIntervalSince1970: 784_111_717)  // Sun, 06 Nov 1994 08:48:37 GMT

    @Test func deltaSeconds_isThatManySeconds() {
        #expect(RetryAfter.seconds("2", now: now) == 2)
        #expect(RetryAfter.seconds(" 120 ", now: now) == 120)
    }

    @Test func httpDate_inAllThreeForms_isSecondsFromNow() {
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("Sun Nov  6 08:49:37 1994", now: now) == 60)
    }

    @Test func pastDate_isZero_andGarbage_isNil() {
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds("-5", now: now) == nil)
        #expect(RetryAfter.seconds("", now: now) == nil)
    }
}

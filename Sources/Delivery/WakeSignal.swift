import Foundation

/// Wakes a delivery thread early: the monitor signals after committing events;
/// the thread waits for the signal or its own deadline, whichever comes first.
/// A signal that arrives while the thread is busy is kept for its next wait.
final class WakeSignal: @unchecked Sendable {
    // NSCondition is thread-safe; it only lacks the Sendable annotation.
    private let condition = NSCondition()
    private var signalled = false

    func signal() {
        condition.lock()
        signalled = true
        condition.signal()
        condition.unlock()
    }

    /// Returns when signalled (true) or after `seconds` (false).
    @discardableResult
    func wait(seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(max(0, seconds))
        while !signalled {
            if !condition.wait(until: deadline) { break }
        }
        let woke = signalled
        signalled = false
        return woke
    }
}

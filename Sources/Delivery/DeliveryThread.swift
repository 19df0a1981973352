import Foundation
import ServiceLifecycle
import Synchronization

/// The dedicated thread a delivery service's blocking loop (librabbitmq,
/// curl) runs on, never Swift's cooperative pool, with the two things the
/// loop waits on: a wake-up when new events are in the outbox, and the stop
/// that graceful shutdown (or cancellation) sends.
final class DeliveryThread: Sendable {
    let name: String
    private let wakeSignal = WakeSignal()
    private let stopFlag = Atomic<Bool>(false)

    init(name: String) {
        self.name = name
    }

    /// Runs `loop` on the thread until it returns; graceful shutdown and
    /// cancellation set ``isStopped`` and wake it, and the loop is expected to
    /// return soon after.
    func run(_ loop: @escaping @Sendable () -> Void) async {
        await cancelWhenGracefulShutdown {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    let thread = Thread {
                        loop()
                        done.resume()
                    }
                    thread.name = self.name
                    thread.start()
                }
            } onCancel: {
                self.stopFlag.store(true, ordering: .releasing)
                self.wakeSignal.signal()
            }
        }
    }

    var isStopped: Bool { stopFlag.load(ordering: .acquiring) }

    /// New work: end the loop's current wait.
    func wake() { wakeSignal.signal() }

    /// Waits for a wake-up or `seconds`, whichever comes first.
    func wait(seconds: Double) { wakeSignal.wait(seconds: seconds) }

    /// Waits out `seconds` (a backoff): wake-ups do not shorten it, a stop does.
    func pause(_ seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !isStopped, Date() < deadline {
            wakeSignal.wait(seconds: deadline.timeIntervalSinceNow)
        }
    }
}

import CamProbeCore
import Synchronization

/// The deadline FFmpeg's interrupt callback checks. FFmpeg polls the callback
/// about every 100 ms inside connect, reads, the TLS handshake and the RTSP loop
/// (`AVIOInterruptCB`: "if the callback returns 1, the blocking operation will be
/// aborted"), so a deadline here bounds every blocking call of a probe.
///
/// The probe thread moves the deadline from phase to phase; another thread may
/// cancel (daemon shutdown). Both are atomics so the check stays a couple of
/// loads.
final class InterruptState: Sendable {
    private let deadlineBits = Atomic<UInt64>(Double.infinity.bitPattern)
    private let cancelledFlag = Atomic<Bool>(false)
    private let firedFlag = Atomic<Bool>(false)

    var deadline: Double {
        get { Double(bitPattern: deadlineBits.load(ordering: .relaxed)) }
        set {
            deadlineBits.store(newValue.bitPattern, ordering: .relaxed)
            firedFlag.store(false, ordering: .relaxed)
        }
    }

    /// Why the probe was ended from below (a camera beyond `CameraLimits`, a
    /// redirect refused inside FFmpeg's reader): the lowest layer knows the
    /// reason, but FFmpeg hands back only AVERROR_EXIT. The first reason wins.
    private let abortReason = Mutex<ProbeFailure?>(nil)
    private let abortedFlag = Atomic<Bool>(false)

    func cancel() { cancelledFlag.store(true, ordering: .relaxed) }

    /// Ends the probe: every later check interrupts, and `abortFailure` says why.
    func abort(_ failure: ProbeFailure) {
        abortReason.withLock { if $0 == nil { $0 = failure } }
        abortedFlag.store(true, ordering: .relaxed)
    }

    var abortFailure: ProbeFailure? { abortReason.withLock { $0 } }

    /// A fresh deadline for closing the session (its TEARDOWN), which an abort
    /// must not cut off: the camera would hold the session slot until it times
    /// out. The abort's reason stays; a cancel still interrupts.
    func renewForClose(until deadline: Double) {
        abortedFlag.store(false, ordering: .relaxed)
        self.deadline = deadline
    }
    var isCancelled: Bool { cancelledFlag.load(ordering: .relaxed) }

    /// Whether the last blocking call was cut off by the deadline.
    var fired: Bool { firedFlag.load(ordering: .relaxed) }

    func shouldInterrupt() -> Bool {
        if cancelledFlag.load(ordering: .relaxed) || abortedFlag.load(ordering: .relaxed) || MonotonicClock.now() >= deadline {
            firedFlag.store(true, ordering: .relaxed)
            return true
        }
        return false
    }
}

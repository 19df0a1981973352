internal import CFFmpeg
import CamProbeCore
import Glibc

/// Reads one window of an open stream, packet by packet: frame timing into a
/// `StreamTimeline`, access units assembled (`AccessUnitAssembler`), the SPS
/// read when the description lacked one, clock skew, the stall and window
/// deadlines set on the interrupt after every packet, and the batch pause.
/// `OpenSession.sample` drives it; every number from the camera is bounded here.
struct WindowReader {
    enum Step { case more, done }

    private let context: SessionContext
    private let budget: ProbeBudget
    private let timeBase: Double
    private let family: VideoCodecFamily?
    private var unit: AccessUnitAssembler
    private var timeline = StreamTimeline()
    private(set) var sample: WindowSample
    private var needSPS: Bool
    private var firstArrival: Double?
    private var lastArrival = MonotonicClock.now()
    private var windowEnd: Double
    private var ended = false
    private let batch: BatchPause
    private var receivedBytes = 0
    private var timestampsFromStream = true
    private var stallLimit: Double
    private var stallLimitFrames = 0
    private let frameLimit: Int

    init(
        context: SessionContext, budget: ProbeBudget, timeBase: Double, family: VideoCodecFamily?, unit: AccessUnitAssembler,
        sample: WindowSample, needSPS: Bool
    ) {
        self.context = context
        self.budget = budget
        self.timeBase = timeBase
        self.family = family
        self.unit = unit
        self.sample = sample
        self.needSPS = needSPS
        self.windowEnd = budget.overall
        // Reading in batches: once a read had to wait for the camera, sleep a
        // little so the next packets queue up in the kernel and are read without
        // a context switch each. Timing comes from timestamps, not from arrival,
        // so this changes no measurement; it cuts the wake-ups from one per RTP
        // packet to a few per second. The pause is sized to the stream's byte
        // rate, so a batch stays well inside the socket's receive buffer.
        self.batch = BatchPause(live: context.isLive, window: context.options.window)
        self.stallLimit = budget.stallLimit(medianFrameInterval: nil)
        self.frameLimit = CameraLimits.framesPerWindow(window: context.options.window, stallTimeout: context.options.stallTimeout)
    }

    /// A read failed with `status` at `now`: throws the classified failure, or
    /// returns when the window is complete anyway (a file's end, the window's
    /// hard end with frames measured).
    mutating func readFailed(status: Int32, at now: Double, report: inout ProbeReport) throws(ProbeFailure) {
        let options = context.options
        if firstArrival == nil {
            if context.interrupt.fired {
                throw ProbeFailure(.timeout, phase: .firstFrame, "the stream was set up but sent no video frame within \(formatSeconds(options.phaseTimeout))")
            }
            if status == AVErrorCode.eof.code {
                throw ProbeFailure(.stalled, phase: .firstFrame, "the stream ended before its first video frame")
            }
            throw ProbeFailure(.protocolError, phase: .firstFrame, "reading the stream failed: \(AVErrorCode(code: status).text)")
        }
        if !context.isLive, status == AVErrorCode.eof.code {
            ended = true
            return
        }
        if context.interrupt.fired, now >= windowEnd - 0.05, timeline.span > 0 {
            return  // the window's hard end: measure what arrived
        }
        let quiet = now - lastArrival
        let atSeconds = lastArrival - (firstArrival ?? lastArrival)
        _ = unit.finish(into: &timeline, workspace: context.workspace)
        report.video?.timing = timeline.summary()
        if status == AVErrorCode.eof.code {
            throw ProbeFailure(.stalled, phase: .window, "the stream ended \(formatSeconds(atSeconds)) after its first frame")
        }
        throw ProbeFailure(.stalled, phase: .window, "the stream stopped sending video \(formatSeconds(atSeconds)) after its first frame (nothing for \(formatSeconds(quiet)))")
    }

    /// Takes one video packet that arrived at `now`.
    mutating func take(
        _ packet: UnsafeMutablePointer<AVPacket>, data: UnsafeMutablePointer<UInt8>, at now: Double, report: inout ProbeReport
    ) throws(ProbeFailure) -> Step {
        let bytes = UnsafeBufferPointer(start: data, count: Int(max(0, packet.pointee.size)))
        arrived(at: now, report: &report)
        // Clock skew: the packet's capture time on the camera's clock (from the
        // last RTCP sender report) against our clock now.
        if let skew = Self.clockSkew(packet) { report.clockSkew = skew }
        let pts = timestamp(packet, now: now)
        if pts != unit.pts {
            keepKeyframe(unit.finish(into: &timeline, workspace: context.workspace))
            if timeline.frameCount > frameLimit {
                throw ProbeFailure(.protocolError, phase: .window, "more than \(frameLimit) frames within the window: beyond the plausible \(Int(CameraLimits.maximumFrameRate)) fps (CameraLimits.framesPerWindow)")
            }
            let done = timeline.span >= context.options.window && (!context.options.decodePicture || sample.hasLatestKeyframe)
            if done { return .done }
            unit.begin(pts: pts)
        }
        let keyFlag = packet.pointee.flags & AV_PKT_FLAG_KEY != 0
        if try unit.add(bytes, keyFlag: keyFlag, workspace: context.workspace), needSPS, let family, var video = report.video {
            if OpenSession.apply(sps: NALUnits.annexB(Array(bytes)), family: family, to: &video) {
                report.video = video
                needSPS = false
            }
        }
        if unit.hasKeyframe, report.timings.firstKeyframe == nil {
            report.timings.firstKeyframe = now - budget.start
        }
        setDeadline(after: now)
        receivedBytes += bytes.count
        return .more
    }

    private mutating func arrived(at now: Double, report: inout ProbeReport) {
        lastArrival = now
        guard firstArrival == nil else { return }
        firstArrival = now
        report.timings.firstFrame = now - budget.start
        windowEnd = min(budget.overall, now + context.options.window + context.options.phaseTimeout)
    }

    /// The packet's presentation time in seconds; its arrival when the stream has none.
    private mutating func timestamp(_ packet: UnsafeMutablePointer<AVPacket>, now: Double) -> Double {
        let raw = packet.pointee.pts != cp_nopts_value() ? packet.pointee.pts : packet.pointee.dts
        guard raw != cp_nopts_value() else {
            timestampsFromStream = false
            return now - (firstArrival ?? now)
        }
        return Double(raw) * timeBase
    }

    private mutating func keepKeyframe(_ kept: Bool) {
        guard kept else { return }
        sample.hasLatestKeyframe = true
    }

    /// Next read: a stall ends the stream, the window's hard end ends the read.
    private mutating func setDeadline(after now: Double) {
        if timeline.frameCount != stallLimitFrames {
            // The median costs a sort: refresh it once per frame, not per packet.
            stallLimitFrames = timeline.frameCount
            stallLimit = budget.stallLimit(medianFrameInterval: timeline.medianFrameInterval)
        }
        context.interrupt.deadline = min(now + stallLimit, windowEnd)
    }

    /// After a read that had to wait for the camera (`waited`), sleeps so the
    /// next packets queue up (see `BatchPause`).
    func pause(afterWaiting waited: Bool, now: Double) {
        guard batch.enabled, timestampsFromStream, waited, let firstArrival else { return }
        let rate = now - firstArrival > 0.1 ? Double(receivedBytes) / (now - firstArrival) : nil
        let pause = min(batch.pause(byteRate: rate), context.interrupt.deadline - now - 0.05)
        if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
    }

    /// The window's result once reading stopped.
    mutating func finish(report: inout ProbeReport) throws(ProbeFailure) -> WindowSample {
        if ended { keepKeyframe(unit.finish(into: &timeline, workspace: context.workspace)) }
        // Read here, not when a keyframe completed: a keyframe cut off by the
        // window's end was being assembled where the previous one was.
        sample.hasPreviousKeyframe = context.workspace.hasPreviousKeyframe
        report.video?.timing = timeline.summary()
        if timeline.frameCount == 0 {
            throw ProbeFailure(.stalled, phase: .window, "no complete video frame arrived")
        }
        return sample
    }

    private static func clockSkew(_ packet: UnsafeMutablePointer<AVPacket>) -> Double? {
        var size: Int = 0
        if let side = av_packet_get_side_data(packet, AV_PKT_DATA_PRFT, &size), size >= MemoryLayout<AVProducerReferenceTime>.size {
            let prft = UnsafeRawPointer(side).loadUnaligned(as: AVProducerReferenceTime.self)
            // In floating point: a camera's wall clock may be any 64-bit value.
            return (Double(prft.wallclock) - Double(MonotonicClock.wallMicroseconds())) / 1e6
        }
        return nil
    }
}

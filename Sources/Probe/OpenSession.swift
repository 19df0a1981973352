internal import CFFmpeg
import CamProbeCore
import Glibc

/// What the window collected for the decode stage, once the session is closed.
struct WindowSample {
    var codecID: AVCodecID
    var codecName: String
    /// Parameter sets to put in front of an Annex-B keyframe (from the session
    /// description or seen in-band), so a reused decoder needs no extradata.
    var inBandPrefix: [UInt8]
    /// Extradata the decoder itself needs (length-prefixed avcC/hvcC streams).
    var decoderExtradata: [UInt8]?
    /// Whether the workspace holds a latest and a previous keyframe.
    var hasLatestKeyframe = false
    var hasPreviousKeyframe = false
}

/// An opened stream being sampled. Owns the `FormatInput` until `close()`.
struct OpenSession {
    private var input: FormatInput?
    private let probe: StreamProbe
    private let videoIndex: Int
    private let codecID: AVCodecID
    private let codecName: String
    private let family: VideoCodecFamily?
    private let timeBase: Double
    /// Packets are Annex-B (start codes), as from RTSP and MPEG-TS; false for
    /// length-prefixed NAL units from MP4/Matroska.
    private let annexB: Bool
    private var extradata: [UInt8]
    private let isLive: Bool
    /// Every frame of an intra-only codec (MJPEG) is a keyframe, whatever the
    /// demuxer flags say.
    private let intraOnly: Bool

    init(input: FormatInput, probe: StreamProbe, report: inout ProbeReport) throws(ProbeFailure) {
        self.input = input
        self.probe = probe
        var video: Int?
        var audio = false
        for index in 0..<input.streamCount {
            let stream = input.stream(index)
            switch stream.pointee.codecpar.pointee.codec_type {
            case AVMEDIA_TYPE_VIDEO where video == nil:
                video = index
            case AVMEDIA_TYPE_AUDIO:
                audio = true
                stream.pointee.discard = AVDISCARD_ALL
            default:
                stream.pointee.discard = AVDISCARD_ALL
            }
        }
        report.audioPresent = audio
        guard let video else {
            throw ProbeFailure(.noVideo, phase: .handshake, audio ? "the stream carries audio only, no video" : "the stream carries no video")
        }
        videoIndex = video
        let stream = input.stream(video)
        let parameters = stream.pointee.codecpar.pointee
        codecID = parameters.codec_id
        codecName = String(cString: avcodec_get_name(codecID))
        guard codecID != AV_CODEC_ID_NONE else {
            throw ProbeFailure(.unsupportedCodec, phase: .handshake, "the video codec is unknown (payload format not recognised)")
        }
        guard avcodec_find_decoder(codecID) != nil else {
            throw ProbeFailure(.unsupportedCodec, phase: .handshake, "no decoder for video codec \(codecName)")
        }
        switch codecID {
        case AV_CODEC_ID_H264: family = .h264
        case AV_CODEC_ID_HEVC: family = .h265
        default: family = nil
        }
        let tb = stream.pointee.time_base
        timeBase = tb.den > 0 ? Double(tb.num) / Double(tb.den) : 1.0 / 90_000
        if parameters.extradata_size > 0, let bytes = parameters.extradata {
            extradata = Array(UnsafeBufferPointer(start: bytes, count: Int(parameters.extradata_size)))
        } else {
            extradata = []
        }
        annexB = extradata.first != 1
        intraOnly = (avcodec_descriptor_get(codecID)?.pointee.props ?? 0) & AV_CODEC_PROP_INTRA_ONLY != 0
        isLive = probe.url.scheme != .file
        var measurement = VideoMeasurement(codec: codecName)
        measurement.profile = parameters.profile >= 0 ? Int(parameters.profile) : nil
        if parameters.width > 0, parameters.height > 0 {
            measurement.width = Int(parameters.width)
            measurement.height = Int(parameters.height)
            measurement.resolutionSource = .container
        }
        if let family, let parameterSets = try? NALUnits.parameterSets(fromExtradata: extradata, codec: family) {
            Self.apply(sps: parameterSets.sps.map { ArraySlice($0) }, family: family, to: &measurement)
        }
        report.video = measurement
    }

    /// Sets resolution and declared rate from the first SPS that parses.
    @discardableResult
    static func apply(sps nals: [ArraySlice<UInt8>], family: VideoCodecFamily, to measurement: inout VideoMeasurement) -> Bool {
        for nal in nals {
            switch family {
            case .h264:
                guard NALUnits.h264NALType(nal.first ?? 0) == 7, let sps = try? H264SequenceParameterSet(nal: nal) else { continue }
                measurement.width = sps.width
                measurement.height = sps.height
                measurement.profile = sps.profileIDC
                measurement.declaredFrameRate = sps.frameRate
            case .h265:
                guard NALUnits.h265NALType(nal.first ?? 0) == 33, let sps = try? H265SequenceParameterSet(nal: nal) else { continue }
                measurement.width = sps.width
                measurement.height = sps.height
                measurement.profile = sps.profileIDC
                measurement.declaredFrameRate = sps.frameRate
            }
            measurement.resolutionSource = .sps
            return true
        }
        return false
    }

    mutating func close() {
        input = nil
    }

    // MARK: The window

    /// Reads the stream for the window: frame timing, keyframes, clock skew.
    mutating func sample(budget: ProbeBudget, report: inout ProbeReport) throws(ProbeFailure) -> WindowSample {
        guard let input else { preconditionFailure("sample after close") }
        let interrupt = probe.interrupt
        let options = probe.options
        guard let packet = av_packet_alloc() else { throw ProbeFailure(.protocolError, "out of memory") }
        var packetOrNil: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&packetOrNil) }

        var timeline = StreamTimeline()
        var result = WindowSample(codecID: codecID, codecName: codecName, inBandPrefix: [], decoderExtradata: annexB ? nil : extradata)
        if annexB { result.inBandPrefix = extradata }
        var needSPS = report.video?.resolutionSource != .sps && family != nil

        // The access unit being assembled: packets sharing one timestamp.
        let workspace = probe.workspace
        workspace.reset()
        var unitPTS: Double?
        var unitBytes = 0
        var unitPictureBytes = 0
        var unitIsKey = false
        var unitIsDelta = false
        var firstArrival: Double?
        var lastArrival = MonotonicClock.now()
        var windowEnd = budget.overall
        var ended = false

        interrupt.deadline = budget.deadline(for: .firstFrame, startingAt: MonotonicClock.now())

        func finishUnit() {
            guard let pts = unitPTS else { return }
            timeline.addFrame(pts: pts, bytes: unitBytes, keyframe: unitIsKey, pictureBytes: unitPictureBytes)
            if unitIsKey, options.decodePicture, !workspace.unit.isEmpty {
                workspace.keepUnitAsKeyframe(keepPrevious: probe.keepsTwoKeyframes)
                result.hasLatestKeyframe = true
                result.hasPreviousKeyframe = !workspace.previousKeyframe.isEmpty
            }
            workspace.unit.removeAll(keepingCapacity: true)
            unitPTS = nil
            unitBytes = 0
            unitPictureBytes = 0
            unitIsKey = false
            unitIsDelta = false
        }

        // Reading in batches: once a read had to wait for the camera, sleep a
        // little so the next packets queue up in the kernel and are read without
        // a context switch each. Timing comes from timestamps, not from arrival,
        // so this changes no measurement; it cuts the wake-ups from one per RTP
        // packet to a few per second. The pause is sized to the stream's byte
        // rate, so a batch stays well inside the socket's receive buffer.
        let batch = BatchPause(live: isLive, window: options.window)
        var receivedBytes = 0
        var timestampsFromStream = true
        var stallLimit = budget.stallLimit(medianFrameInterval: nil)
        var stallLimitFrames = 0
        let frameLimit = CameraLimits.framesPerWindow(window: options.window, stallTimeout: options.stallTimeout)

        readLoop: while true {
            let before = MonotonicClock.now()
            let status = av_read_frame(input.context, packet)
            let now = MonotonicClock.now()
            if status == AVErrorCode.again.code { continue }
            if status < 0 {
                if firstArrival == nil {
                    if interrupt.fired {
                        throw ProbeFailure(.timeout, phase: .firstFrame, "the stream was set up but sent no video frame within \(formatSeconds(options.phaseTimeout))")
                    }
                    if status == AVErrorCode.eof.code {
                        throw ProbeFailure(.stalled, phase: .firstFrame, "the stream ended before its first video frame")
                    }
                    throw ProbeFailure(.protocolError, phase: .firstFrame, "reading the stream failed: \(AVErrorCode(code: status).text)")
                }
                if !isLive, status == AVErrorCode.eof.code {
                    ended = true
                    break readLoop
                }
                if interrupt.fired, now >= windowEnd - 0.05, timeline.span > 0 {
                    break readLoop // the window's hard end: measure what arrived
                }
                let quiet = now - lastArrival
                let atSeconds = lastArrival - (firstArrival ?? lastArrival)
                finishUnit()
                report.video?.timing = timeline.summary()
                if status == AVErrorCode.eof.code {
                    throw ProbeFailure(.stalled, phase: .window, "the stream ended \(formatSeconds(atSeconds)) after its first frame")
                }
                throw ProbeFailure(.stalled, phase: .window, "the stream stopped sending video \(formatSeconds(atSeconds)) after its first frame (nothing for \(formatSeconds(quiet)))")
            }
            defer { av_packet_unref(packet) }
            guard Int(packet.pointee.stream_index) == videoIndex, let data = packet.pointee.data else { continue }
            let size = Int(packet.pointee.size)
            lastArrival = now
            if firstArrival == nil {
                firstArrival = now
                report.timings.firstFrame = now - budget.start
                windowEnd = min(budget.overall, now + options.window + options.phaseTimeout)
            }
            // Clock skew: the packet's capture time on the camera's clock (from the
            // last RTCP sender report) against our clock now.
            if let skew = Self.clockSkew(packet: packet, input: input, timeBase: timeBase) {
                report.clockSkew = skew
            }
            let raw = packet.pointee.pts != cp_nopts_value() ? packet.pointee.pts : packet.pointee.dts
            if raw == cp_nopts_value() { timestampsFromStream = false }
            let pts = raw != cp_nopts_value() ? Double(raw) * timeBase : now - (firstArrival ?? now)
            let bytes = UnsafeBufferPointer(start: data, count: size)

            if pts != unitPTS {
                finishUnit()
                if timeline.frameCount > frameLimit {
                    throw ProbeFailure(.protocolError, phase: .window, "more than \(frameLimit) frames within the window: beyond the plausible \(Int(CameraLimits.maximumFrameRate)) fps (CameraLimits.framesPerWindow)")
                }
                let done = timeline.span >= options.window
                    && (!options.decodePicture || result.hasLatestKeyframe)
                if done { break readLoop }
                unitPTS = pts
            }
            unitBytes += size
            // Every reader (FFmpeg's too) lands here: one timestamp must end.
            if unitBytes > CameraLimits.accessUnitBytes {
                throw ProbeFailure(.protocolError, phase: .window, "one video frame (timestamp) grew past \(CameraLimits.accessUnitBytes / (1024 * 1024)) MiB without ending (CameraLimits.accessUnitBytes)")
            }
            if let family, annexB {
                let scan = NALScan(bytes, family: family)
                unitPictureBytes &+= scan.pictureBytes
                if scan.hasKeyframe { unitIsKey = true }
                // The unit's first slice says whether it is a keyframe; the bytes of
                // other frames are not kept.
                if scan.hasSlice, !unitIsKey { unitIsDelta = true }
                if needSPS, scan.hasSPS, var video = report.video {
                    if Self.apply(sps: NALUnits.annexB(Array(bytes)), family: family, to: &video) {
                        report.video = video
                        needSPS = false
                    }
                }
            } else if intraOnly || packet.pointee.flags & AV_PKT_FLAG_KEY != 0 {
                unitPictureBytes &+= size
                unitIsKey = true
            } else {
                unitPictureBytes &+= size
                unitIsDelta = true
            }
            if options.decodePicture {
                if unitIsDelta {
                    workspace.unit.removeAll(keepingCapacity: true)
                } else {
                    workspace.unit.append(contentsOf: bytes)
                }
            }
            if unitIsKey, report.timings.firstKeyframe == nil {
                report.timings.firstKeyframe = now - budget.start
            }
            // Next read: a stall ends the stream, the window's hard end ends the read.
            if timeline.frameCount != stallLimitFrames {
                // The median costs a sort: refresh it once per frame, not per packet.
                stallLimitFrames = timeline.frameCount
                stallLimit = budget.stallLimit(medianFrameInterval: timeline.medianFrameInterval)
            }
            interrupt.deadline = min(now + stallLimit, windowEnd)
            receivedBytes += size
            if batch.enabled, timestampsFromStream, now - before > 0.002 {
                let rate = now - (firstArrival ?? now) > 0.1 ? Double(receivedBytes) / (now - firstArrival!) : nil
                let pause = min(batch.pause(byteRate: rate), interrupt.deadline - now - 0.05)
                if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
            }
        }
        if ended { finishUnit() }
        report.video?.timing = timeline.summary()
        if timeline.frameCount == 0 {
            throw ProbeFailure(.stalled, phase: .window, "no complete video frame arrived")
        }
        return result
    }

    private static func clockSkew(packet: UnsafeMutablePointer<AVPacket>, input: FormatInput, timeBase: Double) -> Double? {
        var size: Int = 0
        if let side = av_packet_get_side_data(packet, AV_PKT_DATA_PRFT, &size), size >= MemoryLayout<AVProducerReferenceTime>.size {
            let prft = UnsafeRawPointer(side).loadUnaligned(as: AVProducerReferenceTime.self)
            return Double(prft.wallclock - MonotonicClock.wallMicroseconds()) / 1e6
        }
        return nil
    }
}

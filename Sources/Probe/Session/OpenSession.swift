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
    private let context: SessionContext
    private let videoIndex: Int
    private let codecID: AVCodecID
    private let codecName: String
    private let family: VideoCodecFamily?
    private let timeBase: Double
    /// Packets are Annex-B (start codes), as from RTSP and MPEG-TS; false for
    /// length-prefixed NAL units from MP4/Matroska.
    private let annexB: Bool
    private var extradata: [UInt8]
    /// Every frame of an intra-only codec (MJPEG) is a keyframe, whatever the
    /// demuxer flags say.
    private let intraOnly: Bool

    init(input: FormatInput, context: SessionContext, report: inout ProbeReport) throws(ProbeFailure) {
        self.input = input
        self.context = context
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

    /// Reads the stream for the window: frame timing, keyframes, clock skew
    /// (see `WindowReader`).
    mutating func sample(budget: ProbeBudget, report: inout ProbeReport) throws(ProbeFailure) -> WindowSample {
        guard let input else { throw ProbeFailure(.protocolError, phase: .window, "the stream was read after its session closed") }
        guard let packet = av_packet_alloc() else { throw ProbeFailure(.protocolError, "out of memory") }
        var packetOrNil: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&packetOrNil) }
        context.workspace.reset()
        var first = WindowSample(codecID: codecID, codecName: codecName, inBandPrefix: [], decoderExtradata: annexB ? nil : extradata)
        if annexB { first.inBandPrefix = extradata }
        let unit = AccessUnitAssembler(
            family: family, annexB: annexB, intraOnly: intraOnly, options: context.options,
            keepsTwoKeyframes: context.keepsTwoKeyframes)
        var window = WindowReader(
            context: context, budget: budget, timeBase: timeBase, family: family, unit: unit, sample: first,
            needSPS: report.video?.resolutionSource != .sps && family != nil)
        context.interrupt.deadline = budget.deadline(for: .firstFrame, startingAt: MonotonicClock.now())
        while true {
            let before = MonotonicClock.now()
            let status = av_read_frame(input.context, packet)
            let now = MonotonicClock.now()
            if status == AVErrorCode.again.code { continue }
            if status < 0 {
                try window.readFailed(status: status, at: now, report: &report)
                break
            }
            defer { av_packet_unref(packet) }
            guard Int(packet.pointee.stream_index) == videoIndex, let data = packet.pointee.data else { continue }
            if try window.take(packet, data: data, at: now, report: &report) == .done { break }
            window.pause(afterWaiting: now - before > 0.002, now: now)
        }
        return try window.finish(report: &report)
    }
}

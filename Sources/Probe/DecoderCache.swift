internal import CFFmpeg

/// The decoders of one worker thread, kept open across probes. Annex-B streams
/// share one decoder per codec; streams whose decoder needs extradata get one of
/// their own for the probe.
final class DecoderCache {
    private var shared: [UInt32: KeyframeDecoder] = [:]

    func decoder(for codecID: AVCodecID, extradata: [UInt8]?) -> KeyframeDecoder? {
        if let extradata, !extradata.isEmpty {
            return KeyframeDecoder(codecID: codecID, extradata: extradata)
        }
        if let decoder = shared[codecID.rawValue] { return decoder }
        let decoder = KeyframeDecoder(codecID: codecID, extradata: nil)
        shared[codecID.rawValue] = decoder
        return decoder
    }
}

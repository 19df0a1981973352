internal import CFFmpeg

/// One set of decoders, kept open across probes. Annex-B streams
/// share one decoder per codec; streams whose decoder needs extradata get one of
/// their own for the probe.
// @unchecked: a set is used by one thread at a time, between its checkout
// from `DecoderPool` and its return; the pool's lock orders the hand-over.
final class DecoderCache: @unchecked Sendable {
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

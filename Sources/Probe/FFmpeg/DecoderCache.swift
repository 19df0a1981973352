internal import CFFmpeg

/// One set of decoders, kept open across probes. Annex-B streams
/// share one decoder per codec; streams whose decoder needs extradata get one of
/// their own for the probe.
// @unchecked: a set is used by one thread at a time, between its checkout
// from `DecoderPool` and its return; the pool's lock orders the hand-over.
final class DecoderCache: @unchecked Sendable {
    private var shared: [UInt32: KeyframeDecoder] = [:]

    /// A decoder is kept across probes only while its footprint is a normal
    /// camera's (up to 4K, a 4 MiB keyframe); one that a monstrous keyframe grew
    /// is dropped, and the next probe opens a fresh one.
    static let keptPixels = 4096 * 2304
    static let keptPacketBytes = 4 * 1024 * 1024

    /// Takes the decoders grown beyond a normal footprint out of the cache; the
    /// caller lets them go (and with them their frame pools and packet storage).
    func takeOversized() -> [KeyframeDecoder] {
        let oversized = shared.filter { $0.value.footprint.pixels > Self.keptPixels || $0.value.footprint.packetBytes > Self.keptPacketBytes }
        for key in oversized.keys { shared[key] = nil }
        return Array(oversized.values)
    }

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

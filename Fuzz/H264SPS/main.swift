// H.264 sequence parameter sets as `OpenSession.apply(sps:)` parses them: one
// NAL unit with its header byte, emulation-prevention bytes still in, from the
// SDP's extradata or from a packet of the stream.
//
// Invariants of a parsed SPS: coded size a whole number of macroblocks within
// the parser's `maxDimension`; the cropped picture non-empty and within the
// coded size; bit depths and chroma format within the standard's ranges; a
// declared frame rate finite and positive; a sample aspect ratio positive.
@testable import CamProbeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzH264SPS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let nal = fuzzBytes(data, size)
    guard let sps = try? H264SequenceParameterSet(nal: nal) else { return 0 }
    let limit = H264SequenceParameterSet.maxDimension
    invariant(sps.codedWidth >= 16 && sps.codedWidth <= limit && sps.codedWidth % 16 == 0, "coded width \(sps.codedWidth)")
    invariant(sps.codedHeight >= 16 && sps.codedHeight <= limit && sps.codedHeight % 16 == 0, "coded height \(sps.codedHeight)")
    invariant(sps.width >= 1 && sps.width <= sps.codedWidth, "width \(sps.width) of \(sps.codedWidth)")
    invariant(sps.height >= 1 && sps.height <= sps.codedHeight, "height \(sps.height) of \(sps.codedHeight)")
    invariant((8...14).contains(sps.bitDepthLuma) && (8...14).contains(sps.bitDepthChroma), "bit depth \(sps.bitDepthLuma)/\(sps.bitDepthChroma)")
    invariant((0...3).contains(sps.chromaFormatIDC) && (0...31).contains(sps.spsID), "chroma format \(sps.chromaFormatIDC), id \(sps.spsID)")
    if let rate = sps.frameRate { invariant(rate.isFinite && rate > 0, "frame rate \(rate)") }
    if let w = sps.sarWidth, let h = sps.sarHeight { invariant(w > 0 && h > 0, "aspect ratio \(w):\(h)") }
    _ = sps.profileName
    // Parsing is a function of the bytes.
    invariant((try? H264SequenceParameterSet(nal: nal)) == sps, "a second parse differs")
    return 0
}

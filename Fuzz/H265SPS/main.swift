// H.265 sequence parameter sets as `OpenSession.apply(sps:)` parses them: one
// NAL unit with its 2-byte header, emulation-prevention bytes still in, from
// the SDP's extradata or from a packet of the stream.
//
// Invariants of a parsed SPS: coded size within the parser's `maxDimension`;
// the conformance window non-empty and within the coded size; bit depths,
// chroma format and sub-layers within the standard's ranges; a declared frame
// rate finite and positive; a sample aspect ratio positive.
@testable import CamProbeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzH265SPS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let nal = fuzzBytes(data, size)
    guard let sps = try? H265SequenceParameterSet(nal: nal) else { return 0 }
    let limit = H265SequenceParameterSet.maxDimension
    invariant(sps.codedWidth >= 1 && sps.codedWidth <= limit, "coded width \(sps.codedWidth)")
    invariant(sps.codedHeight >= 1 && sps.codedHeight <= limit, "coded height \(sps.codedHeight)")
    invariant(sps.width >= 1 && sps.width <= sps.codedWidth, "width \(sps.width) of \(sps.codedWidth)")
    invariant(sps.height >= 1 && sps.height <= sps.codedHeight, "height \(sps.height) of \(sps.codedHeight)")
    invariant((8...16).contains(sps.bitDepthLuma) && (8...16).contains(sps.bitDepthChroma), "bit depth \(sps.bitDepthLuma)/\(sps.bitDepthChroma)")
    invariant((0...3).contains(sps.chromaFormatIDC) && (0...15).contains(sps.spsID), "chroma format \(sps.chromaFormatIDC), id \(sps.spsID)")
    invariant((1...7).contains(sps.maxSubLayers), "\(sps.maxSubLayers) sub-layers")
    if let rate = sps.frameRate { invariant(rate.isFinite && rate > 0, "frame rate \(rate)") }
    if let w = sps.sarWidth, let h = sps.sarHeight { invariant(w > 0 && h > 0, "aspect ratio \(w):\(h)") }
    _ = sps.profileName
    invariant((try? H265SequenceParameterSet(nal: nal)) == sps, "a second parse differs")
    return 0
}

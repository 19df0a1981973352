// NAL scanning as the probe does it on camera data: `NALScan` (Sources/Probe/Session/
// NALScan.swift, compiled into this harness) on every Annex-B packet, the
// Annex-B split and SPS parse `OpenSession` runs when a packet has an SPS, and
// `NALUnits.parameterSets(fromExtradata:)` on the stream's extradata (Annex-B,
// avcC or hvcC). Both codec families are run on every input.
//
// Invariants: units are non-empty, in order, disjoint, within the input, and
// never begin with a start code; removing emulation prevention never grows a
// unit; what NALScan reports (an SPS, a keyframe) the Annex-B split finds too.
import CamProbeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNALUnits(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let units = NALUnits.annexB(bytes)
    var previousEnd = 0
    for unit in units {
        invariant(!unit.isEmpty && unit.startIndex >= previousEnd + 3 && unit.endIndex <= bytes.count, "unit \(unit.indices) after \(previousEnd)")
        invariant(Array(unit.prefix(3)) != [0, 0, 1], "a unit starts with a start code")
        invariant(NALUnits.removeEmulationPrevention(unit).count <= unit.count, "emulation prevention removal grew a unit")
        previousEnd = unit.endIndex
    }
    for family in VideoCodecFamily.allCases {
        let scan = bytes.withUnsafeBufferPointer { NALScan($0, family: family) }
        let types = units.map { NALUnits.nalType($0.first!, codec: family) }
        let spsType = family == .h264 ? NALUnits.h264SPS : NALUnits.h265SPS
        if scan.hasSPS { invariant(types.contains(spsType), "NALScan saw an SPS the split did not (\(family))") }
        if scan.hasKeyframe { invariant(NALUnits.containsKeyframe(annexB: bytes, codec: family), "NALScan saw a keyframe the split did not (\(family))") }
        if scan.hasSPS {
            // OpenSession.apply(sps:): the first SPS that parses.
            _ = units.first { NALUnits.nalType($0.first!, codec: family) == spsType && parses(sps: $0, family) }
        }
        if let sets = try? NALUnits.parameterSets(fromExtradata: bytes, codec: family) {
            for unit in sets.vps + sets.sps + sets.pps {
                invariant(!unit.isEmpty && unit.count <= bytes.count, "parameter set of \(unit.count) bytes from \(bytes.count)")
            }
            if family == .h264 { invariant(sets.vps.isEmpty, "an H.264 VPS") }
            for unit in sets.sps { _ = parses(sps: unit[...], family) }
        }
    }
    return 0
}

private func parses(sps nal: ArraySlice<UInt8>, _ family: VideoCodecFamily) -> Bool {
    switch family {
    case .h264: (try? H264SequenceParameterSet(nal: nal)) != nil
    case .h265: (try? H265SequenceParameterSet(nal: nal)) != nil
    }
}

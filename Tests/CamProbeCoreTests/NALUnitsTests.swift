import Testing
@testable import CamProbeCore

/// Decodes a hex string, ignoring whitespace (fixtures only; traps on bad hex).
private func hexBytes(_ string: String) -> [UInt8] {
    let digits = string.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16)! }
    return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

/// Real extradata and NAL units (FFmpeg 5.1.9, libx264 core 164, libx265 3.5).
enum NALFixtures {
    /// SPS / PPS of `ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -c:v libx264 -f h264 out.264`.
    static let h264SPS = hexBytes("67640028acd940780227e5c044000003000400000300c83c60c658")
    static let h264PPS = hexBytes("68ebe3cb22c0")
    /// The same SPS with its two emulation-prevention bytes removed (computed independently in Python).
    static let h264SPSRBSP = hexBytes("67640028acd940780227e5c04400000004000000c83c60c658")

    /// The first 80 bytes of that 50-frame libx264 stream: 4-byte start code + SPS,
    /// 4-byte start code + PPS, 3-byte start code + the beginning of x264's SEI.
    static let h264StreamStart = hexBytes("""
        0000000167640028acd940780227e5c044000003000400000300c83c60c6580000000168ebe3cb22c00000010605ffff
        a8dc45e9bde6d948b7962cd820d923eeef78323634202d20636f726520313634
        """)

    /// The extradata FFmpeg's RTP/RTSP demuxer builds from the SDP
    /// `sprop-parameter-sets=Z2QAKKzZQHgCJ+XARAAAAwAEAAADAMg8YMZY,aOvjyyLA`:
    /// `ffmpeg -re -i out.264 -c copy -f rtp -sdp_file h264.sdp rtp://127.0.0.1:15004` while
    /// `ffprobe -protocol_whitelist file,udp,rtp -show_streams -show_data h264.sdp` prints it.
    static let h264RTSPExtradata = hexBytes("""
        0000000167640028acd940780227e5c044000003000400000300c83c60c6580000000168ebe3cb22c0
        """)

    /// avcC of `ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -frames:v 1 -c:v libx264 out.mp4`
    /// (the avcC box payload, identical to `ffprobe -show_data` extradata), High-profile extension included.
    static let h264avcC = hexBytes("""
        01640028ffe1001b67640028acd940780227e5c044000003000400000300c83c60c65801000668ebe3cb22c0fdf8f800
        """)

    /// VPS / SPS / PPS of `ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -c:v libx265 -f hevc out.265`.
    static let h265VPS = hexBytes("40010c01ffff016000000300900000030000030078959809")
    static let h265SPS = hexBytes("420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000000c84")
    static let h265PPS = hexBytes("4401c172b46240")

    /// Extradata of FFmpeg's RTP demuxer for that stream's SDP (sprop-vps/sps/pps), captured as for H.264.
    static let h265RTSPExtradata = hexBytes("""
        0000000140010c01ffff01600000030090000003000003007895980900000001420101016000000300900000030000030078
        a003c08010e596566924caf0168080000003008000000c84000000014401c172b46240
        """)

    /// hvcC of `ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -frames:v 1 -c:v libx265
    /// -x265-params info=0 out.mp4` (info=0 keeps x265's 2 KB version SEI out of the record).
    static let h265hvcC = hexBytes("""
        01016000000090000000000078f000fcfdf8f800000f03200001001840010c01ffff0160000003009000000300000300
        78959809210001002a420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000
        000c8422000100074401c172b46240
        """)

    /// First 12 bytes of real slice / SEI NAL units from 50-frame libx264 / libx265 (keyint 10) streams.
    static let h264IDRSlice = hexBytes("6588840047dae3985bd757da")
    static let h264NonIDRSlice = hexBytes("419a246c457fbc7c7f296abf")
    static let h265IDRNLPSlice = hexBytes("2801af1d088e186848a0bd84")  // type 20
    static let h265CRASlice = hexBytes("2a01ac285c88dc60223867b0")  // type 21
    static let h265TrailRSlice = hexBytes("0201d0195f84318e04468920")  // type 1
    static let h265TrailNSlice = hexBytes("0001e024fffa2c29088c15b0")  // type 0
    static let h265RASLNSlice = hexBytes("1001e366ff5f48b0a4223025")  // type 8
    static let h265PrefixSEI = hexBytes("4e0105ffffffffffffffffed")  // type 39
}

private let startCode4: [UInt8] = [0, 0, 0, 1]
private let startCode3: [UInt8] = [0, 0, 1]

// MARK: - Annex-B

@Suite struct AnnexBTests {
    @Test func splitsRealStreamWithMixedStartCodes() throws {
        let units = NALUnits.annexB(NALFixtures.h264StreamStart)
        try #require(units.count == 3)
        #expect(Array(units[0]) == NALFixtures.h264SPS)
        #expect(Array(units[1]) == NALFixtures.h264PPS)
        #expect(units[2].first == 0x06)  // SEI after a 3-byte start code
        #expect(units[2].count == 36)
        // Slices share the input's indices.
        #expect(units[0].startIndex == 4)
        #expect(units[1].startIndex == 35)
        #expect(units[2].startIndex == 44)
        #expect(units[2].endIndex == 80)
    }

    @Test func splitsRTSPExtradata() {
        let units = NALUnits.annexB(NALFixtures.h265RTSPExtradata).map(Array.init)
        #expect(units == [NALFixtures.h265VPS, NALFixtures.h265SPS, NALFixtures.h265PPS])
    }

    @Test func edgeCases() {
        #expect(NALUnits.annexB([]).isEmpty)
        #expect(NALUnits.annexB([0, 0, 1]).isEmpty)
        #expect(NALUnits.annexB([0, 0, 0, 1, 0, 0]).isEmpty)
        #expect(NALUnits.annexB(NALFixtures.h264SPS).isEmpty)  // no start code at all
        // Junk before the first start code is ignored; trailing_zero_8bits are dropped.
        let stream: [UInt8] = [0xAA, 0xBB] + startCode3 + [0x09, 0xF0] + startCode4 + [0x41, 0x9A, 0x00, 0x00]
        #expect(NALUnits.annexB(stream).map(Array.init) == [[0x09, 0xF0], [0x41, 0x9A]])
        // Back-to-back start codes give no empty unit; extra leading zeros are tolerated.
        #expect(NALUnits.annexB([0, 0, 1, 0, 0, 1, 0x41, 0x9A]).map(Array.init) == [[0x41, 0x9A]])
        #expect(NALUnits.annexB([0, 0, 0, 0, 0, 1, 0x65, 0x88]).map(Array.init) == [[0x65, 0x88]])
        // 00 00 03 (emulation prevention) and 00 00 02 are not start codes.
        #expect(NALUnits.annexB(startCode3 + [0x67, 0, 0, 3, 1, 0, 0, 2, 5]).map(Array.init)
            == [[0x67, 0, 0, 3, 1, 0, 0, 2, 5]])
    }

    @Test func removesEmulationPrevention() {
        #expect(NALUnits.removeEmulationPrevention(NALFixtures.h264SPS) == NALFixtures.h264SPSRBSP)
        #expect(NALUnits.removeEmulationPrevention([0, 0, 3, 3]) == [0, 0, 3])
        #expect(NALUnits.removeEmulationPrevention([0, 0, 3, 0, 0, 3, 1]) == [0, 0, 0, 0, 1])
        #expect(NALUnits.removeEmulationPrevention([0, 0, 3]) == [0, 0])  // cabac_zero_word at the end
        #expect(NALUnits.removeEmulationPrevention([0, 3, 0, 0, 1, 3]) == [0, 3, 0, 0, 1, 3])
        #expect(NALUnits.removeEmulationPrevention([UInt8]()) == [])
        let padded: [UInt8] = [9, 9, 9] + NALFixtures.h264SPS
        #expect(NALUnits.removeEmulationPrevention(padded[3...]) == NALFixtures.h264SPSRBSP)
    }
}

// MARK: - Extradata

@Suite struct ExtradataTests {
    @Test func h264RTSPAnnexBExtradata() throws {
        let sets = try NALUnits.parameterSets(fromExtradata: NALFixtures.h264RTSPExtradata, codec: .h264)
        #expect(sets.vps.isEmpty)
        #expect(sets.sps == [NALFixtures.h264SPS])
        #expect(sets.pps == [NALFixtures.h264PPS])
    }

    @Test func h264avcCExtradata() throws {
        let sets = try NALUnits.parameterSets(fromExtradata: NALFixtures.h264avcC, codec: .h264)
        #expect(sets == H26xParameterSets(sps: [NALFixtures.h264SPS], pps: [NALFixtures.h264PPS]))
        let sps = try H264SequenceParameterSet(nal: try #require(sets.sps.first))
        #expect(sps.width == 1920)
        #expect(sps.height == 1080)
        #expect(sps.codedHeight == 1088)
        #expect(sps.frameRate == 25.0)
    }

    @Test func annexBExtradataIgnoresOtherUnits() throws {
        let sets = try NALUnits.parameterSets(fromExtradata: NALFixtures.h264StreamStart, codec: .h264)
        #expect(sets == H26xParameterSets(sps: [NALFixtures.h264SPS], pps: [NALFixtures.h264PPS]))
        let threeByte = startCode3 + NALFixtures.h264PPS + startCode3 + NALFixtures.h264SPS
        #expect(try NALUnits.parameterSets(fromExtradata: threeByte, codec: .h264)
            == H26xParameterSets(sps: [NALFixtures.h264SPS], pps: [NALFixtures.h264PPS]))
    }

    @Test func h265RTSPAnnexBExtradata() throws {
        let sets = try NALUnits.parameterSets(fromExtradata: NALFixtures.h265RTSPExtradata, codec: .h265)
        #expect(sets.vps == [NALFixtures.h265VPS])
        #expect(sets.sps == [NALFixtures.h265SPS])
        #expect(sets.pps == [NALFixtures.h265PPS])
    }

    @Test func h265hvcCExtradata() throws {
        let sets = try NALUnits.parameterSets(fromExtradata: NALFixtures.h265hvcC, codec: .h265)
        #expect(sets == H26xParameterSets(vps: [NALFixtures.h265VPS], sps: [NALFixtures.h265SPS], pps: [NALFixtures.h265PPS]))
        let sps = try H265SequenceParameterSet(nal: try #require(sets.sps.first))
        #expect(sps.width == 1920)
        #expect(sps.height == 1080)
        #expect(sps.frameRate == 25.0)
    }

    @Test func emptyExtradataHasNoParameterSets() throws {
        #expect(try NALUnits.parameterSets(fromExtradata: [], codec: .h264).isEmpty)
        #expect(try NALUnits.parameterSets(fromExtradata: [], codec: .h265).isEmpty)
    }

    @Test func truncatedAvcCThrows() throws {
        // The record is complete once the PPS is read (44 bytes); the 4-byte High-profile
        // extension after it is optional.
        for length in 1..<44 {
            #expect(throws: BitstreamError.truncated, "length \(length)") {
                try NALUnits.parameterSets(fromExtradata: Array(NALFixtures.h264avcC.prefix(length)), codec: .h264)
            }
        }
        for length in 44...NALFixtures.h264avcC.count {
            let sets = try NALUnits.parameterSets(fromExtradata: Array(NALFixtures.h264avcC.prefix(length)), codec: .h264)
            #expect(sets.sps == [NALFixtures.h264SPS])
        }
    }

    @Test func truncatedHvcCThrows() {
        for length in 1..<NALFixtures.h265hvcC.count {
            #expect(throws: BitstreamError.truncated, "length \(length)") {
                try NALUnits.parameterSets(fromExtradata: Array(NALFixtures.h265hvcC.prefix(length)), codec: .h265)
            }
        }
    }

    @Test func wrongAvcCVersionIsInvalid() {
        var record = NALFixtures.h264avcC
        record[0] = 2
        #expect(throws: BitstreamError.invalid("avcC configurationVersion 2, expected 1")) {
            try NALUnits.parameterSets(fromExtradata: record, codec: .h264)
        }
    }
}

// MARK: - NAL types and keyframes

@Suite struct NALTypeTests {
    @Test func h264Types() {
        #expect(NALUnits.h264NALType(NALFixtures.h264SPS[0]) == 7)
        #expect(NALUnits.h264NALType(NALFixtures.h264PPS[0]) == 8)
        #expect(NALUnits.h264NALType(NALFixtures.h264IDRSlice[0]) == 5)
        #expect(NALUnits.h264NALType(NALFixtures.h264NonIDRSlice[0]) == 1)
        #expect(NALUnits.h264NALType(0x06) == 6)
        #expect(NALUnits.isH264IDR(NALFixtures.h264IDRSlice[0]))
        #expect(!NALUnits.isH264IDR(NALFixtures.h264NonIDRSlice[0]))
        #expect(!NALUnits.isH264IDR(NALFixtures.h264SPS[0]))
        #expect(NALUnits.isKeyframe(0x25, codec: .h264))  // IDR with nal_ref_idc 1
        #expect(NALUnits.nalType(0x65, codec: .h264) == 5)
    }

    @Test func h265Types() {
        #expect(NALUnits.h265NALType(NALFixtures.h265VPS[0]) == 32)
        #expect(NALUnits.h265NALType(NALFixtures.h265SPS[0]) == 33)
        #expect(NALUnits.h265NALType(NALFixtures.h265PPS[0]) == 34)
        #expect(NALUnits.h265NALType(NALFixtures.h265IDRNLPSlice[0]) == 20)
        #expect(NALUnits.h265NALType(NALFixtures.h265CRASlice[0]) == 21)
        #expect(NALUnits.h265NALType(NALFixtures.h265TrailRSlice[0]) == 1)
        #expect(NALUnits.h265NALType(NALFixtures.h265TrailNSlice[0]) == 0)
        #expect(NALUnits.h265NALType(NALFixtures.h265RASLNSlice[0]) == 8)
        #expect(NALUnits.h265NALType(NALFixtures.h265PrefixSEI[0]) == 39)
        #expect(NALUnits.nalType(0x26, codec: .h265) == 19)
    }

    @Test func h265IRAPRange() {
        #expect(NALUnits.isH265IRAP(NALFixtures.h265IDRNLPSlice[0]))
        #expect(NALUnits.isH265IRAP(NALFixtures.h265CRASlice[0]))
        #expect(!NALUnits.isH265IRAP(NALFixtures.h265TrailRSlice[0]))
        #expect(!NALUnits.isH265IRAP(NALFixtures.h265TrailNSlice[0]))
        #expect(!NALUnits.isH265IRAP(NALFixtures.h265RASLNSlice[0]))
        #expect(!NALUnits.isH265IRAP(NALFixtures.h265SPS[0]))
        // Boundaries: 15 (RSV_VCL_R15) no, 16 (BLA_W_LP) … 21 (CRA) yes, 22 (RSV_IRAP_VCL22) no.
        let keyframeTypes = (UInt8(0)...63).filter { NALUnits.isKeyframe($0 << 1, codec: .h265) }
        #expect(keyframeTypes == [16, 17, 18, 19, 20, 21])
        let h264KeyframeTypes = (UInt8(0)...31).filter { NALUnits.isKeyframe(0x60 | $0, codec: .h264) }
        #expect(h264KeyframeTypes == [5])
    }

    @Test func accessUnitKeyframeDetection() {
        let idrAU = startCode4 + NALFixtures.h264SPS + startCode4 + NALFixtures.h264PPS + startCode3 + NALFixtures.h264IDRSlice
        let pAU = startCode4 + [0x09, 0xF0] + startCode3 + NALFixtures.h264NonIDRSlice
        #expect(NALUnits.containsKeyframe(annexB: idrAU, codec: .h264))
        #expect(!NALUnits.containsKeyframe(annexB: pAU, codec: .h264))
        let craAU = startCode4 + NALFixtures.h265VPS + startCode4 + NALFixtures.h265SPS + startCode4
            + NALFixtures.h265PPS + startCode4 + NALFixtures.h265PrefixSEI + startCode4 + NALFixtures.h265CRASlice
        let trailAU = startCode4 + NALFixtures.h265TrailRSlice
        #expect(NALUnits.containsKeyframe(annexB: craAU, codec: .h265))
        #expect(!NALUnits.containsKeyframe(annexB: trailAU, codec: .h265))
        #expect(!NALUnits.containsKeyframe(annexB: [], codec: .h265))
    }
}

// MARK: - BitReader

/// Builds bit strings for the reader tests.
private struct TestBitWriter {
    var bits: [UInt8] = []

    mutating func u(_ n: Int, _ value: UInt64) {
        for i in stride(from: n - 1, through: 0, by: -1) {
            bits.append(UInt8((value >> UInt64(i)) & 1))
        }
    }

    mutating func ue(_ value: UInt64) {
        let v = value + 1
        let length = 64 - v.leadingZeroBitCount
        u(length - 1, 0)
        u(length, v)
    }

    mutating func se(_ value: Int64) {
        ue(value > 0 ? UInt64(2 * value - 1) : UInt64(-2 * value))
    }

    /// The bits, zero-padded to whole bytes.
    var bytes: [UInt8] {
        var padded = bits
        while padded.count % 8 != 0 { padded.append(0) }
        return stride(from: 0, to: padded.count, by: 8).map { start in
            padded[start..<(start + 8)].reduce(UInt8(0)) { $0 << 1 | $1 }
        }
    }
}

@Suite struct BitReaderTests {
    @Test func readsFixedWidthFields() throws {
        var r = BitReader([0b1010_1100, 0xFF, 0x00, 0x01])
        #expect(r.bitsLeft == 32)
        #expect(try r.readBit() == 1)
        #expect(try r.readBits(3) == 0b010)
        #expect(try r.readFlag() == true)
        #expect(try r.readBits(3) == 0b100)
        #expect(r.isByteAligned)
        #expect(try r.readBits(16) == 0xFF00)
        #expect(r.bitsLeft == 8)
        #expect(try r.readBits(0) == 0)
        #expect(try r.readBits(8) == 1)
        #expect(r.bitsLeft == 0)
        #expect(throws: BitstreamError.truncated) { try r.readBit() }
    }

    @Test func reads32BitsUnaligned() throws {
        var r = BitReader([0x12, 0x34, 0x56, 0x78, 0x9A])
        try r.skipBits(4)
        #expect(!r.isByteAligned)
        #expect(try r.readBits(32) == 0x2345_6789)
        #expect(r.bitPosition == 36)
        #expect(r.bitsLeft == 4)
        #expect(throws: BitstreamError.truncated) { try r.readBits(5) }
        #expect(r.bitsLeft == 4)  // a failed read consumes nothing
        #expect(try r.readBits(4) == 0xA)
    }

    @Test func rejectsBadCounts() {
        var r = BitReader([UInt8](repeating: 0xFF, count: 8))
        #expect(throws: BitstreamError.invalid("cannot read 33 bits at once (0...32 allowed)")) { try r.readBits(33) }
        #expect(throws: BitstreamError.invalid("cannot read -1 bits at once (0...32 allowed)")) { try r.readBits(-1) }
        #expect(throws: BitstreamError.invalid("cannot skip a negative number of bits (-3)")) { try r.skipBits(-3) }
        #expect(throws: BitstreamError.truncated) { try r.skipBits(65) }
        #expect(r.bitPosition == 0)
    }

    @Test func readsExpGolomb() throws {
        let unsigned: [UInt64] = [0, 1, 2, 3, 6, 7, 8, 254, 255, 65_535, 1_000_000]
        let signed: [Int64] = [0, 1, -1, 2, -2, 127, -128, 32_767, -32_768]
        var w = TestBitWriter()
        unsigned.forEach { w.ue($0) }
        signed.forEach { w.se($0) }
        var r = BitReader(w.bytes)
        for value in unsigned {
            #expect(try r.readUE() == UInt32(value))
        }
        for value in signed {
            #expect(try r.readSE() == Int32(value))
        }
        // Hand-checked codes: 1 → 0, 010 → 1, 011 → 2, 00100 → 3, 00111 → 6, 0001000 → 7.
        var handmade = BitReader([0b1010_0110, 0b0100_0011, 0b1000_1000])
        for expected: UInt32 in [0, 1, 2, 3, 6, 7] {
            #expect(try handmade.readUE() == expected)
        }
        #expect(handmade.bitsLeft == 0)
    }

    @Test func expGolombLimits() throws {
        // 31 leading zeros: the largest code that fits, 2^32 - 2.
        var w = TestBitWriter()
        w.u(31, 0)
        w.u(32, 0xFFFF_FFFF)
        var r = BitReader(w.bytes)
        #expect(try r.readUE() == 4_294_967_294)
        var s = BitReader(w.bytes)
        #expect(try s.readSE() == -2_147_483_647)
        var w2 = TestBitWriter()
        w2.ue(4_294_967_293)  // codeNum 2^32 - 3 → se +(2^31 - 1)
        var s2 = BitReader(w2.bytes)
        #expect(try s2.readSE() == Int32.max)
        // 32 leading zeros are rejected as invalid rather than overflowing.
        var zeros = BitReader([0, 0, 0, 0, 0xFF])
        #expect(throws: BitstreamError.invalid("exp-Golomb code with more than 31 leading zero bits")) { try zeros.readUE() }
        // Running out of data while counting zeros, or inside the suffix, is truncation.
        var short = BitReader([0, 0, 0])
        #expect(throws: BitstreamError.truncated) { try short.readUE() }
        var cut = BitReader([0b0000_0001])
        #expect(throws: BitstreamError.truncated) { try cut.readUE() }
    }

    @Test func boundedReads() throws {
        var w = TestBitWriter()
        w.ue(4)
        w.se(-200)
        w.ue(3)
        var r = BitReader(w.bytes)
        #expect(throws: BitstreamError.invalid("chroma_format_idc = 4 exceeds 3")) { try r.readUE(max: 3, "chroma_format_idc") }
        #expect(throws: BitstreamError.invalid("delta_scale = -200 outside -128...127")) {
            try r.readSE(in: -128...127, "delta_scale")
        }
        #expect(try r.readUE(max: 3, "chroma_format_idc") == 3)
    }

    @Test func moreRBSPData() throws {
        #expect(!BitReader([0b1000_0000]).moreRBSPData())  // only the stop bit
        #expect(!BitReader([]).moreRBSPData())
        #expect(!BitReader([0, 0]).moreRBSPData())
        var r = BitReader([0b1010_0000, 0x00])  // data 1, 0, then stop bit at position 2
        #expect(r.moreRBSPData())
        _ = try r.readBit()
        #expect(r.moreRBSPData())
        _ = try r.readBit()
        #expect(!r.moreRBSPData())
        // The real x264 PPS ends "…22 c0" (1100 0000): its last data bit is the first bit
        // of the last byte and the stop bit the second.
        var pps = BitReader(NALUnits.removeEmulationPrevention(NALFixtures.h264PPS[1...]))
        try pps.skipBits(pps.bitsLeft - 8)
        #expect(pps.moreRBSPData())
        _ = try pps.readBit()
        #expect(!pps.moreRBSPData())
    }
}

import Testing
@testable import CamProbeCore

// Sequence parameter sets produced by real encoders (FFmpeg 5.1.9 with libx264
// core 164 and libx265 3.5 on Debian 12). Each literal is the SPS NAL unit
// (header included, emulation-prevention bytes kept, no start code), cut out of
// the raw Annex-B output with a small Python script that splits on 00 00 01 and
// keeps nal_unit_type 7 (H.264) / 33 (H.265). The expected values were checked
// against FFmpeg's own parser: `ffmpeg -i FILE -c copy -bsf:v trace_headers -f null -`
// and `ffprobe -show_entries stream=width,height,coded_width,coded_height,r_frame_rate`.
//
// Abbreviation used in the comments:
//   FF = ffmpeg -f lavfi -i testsrc2=size=WxH:rate=R -frames:v 1

/// Decodes a hex string, ignoring whitespace (fixtures only; traps on bad hex).
private func hexBytes(_ string: String) -> [UInt8] {
    let digits = string.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16)! }
    return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

enum SPSFixtures {
    // MARK: H.264 (libx264)

    /// FF size=1920x1080:rate=25 -c:v libx264 -f h264 out.264
    static let h264_1080p25 = hexBytes("67640028acd940780227e5c044000003000400000300c83c60c658")
    /// FF size=1280x720:rate=25 -r 12.5 -c:v libx264 -f h264 out.264
    static let h264_720p12_5 = hexBytes("6764001facd9405005bb011000000300200000030320f1831960")
    /// FF size=704x576:rate=25 -c:v libx264 -f h264 out.264
    static let h264_704x576 = hexBytes("6764001eacd940b0126c0440000003004000000c83c58b6580")
    /// FF size=1920x1080:rate=25 -c:v libx264 -pix_fmt yuv422p -f h264 out.264   (High 4:2:2)
    static let h264_422 = hexBytes("677a0028bcd940780227e27011000003000100000300320f183196")
    /// FF size=1920x1080:rate=25 -c:v libx264 -pix_fmt yuv420p10le -f h264 out.264   (High 10)
    static let h264_10bit = hexBytes("676e0028a6cd940780227e5c0440000003004000000c83c60c6580")
    /// FF size=1920x1080:rate=25 -c:v libx264 -pix_fmt yuv444p -f h264 out.264   (High 4:4:4 Predictive)
    static let h264_444 = hexBytes("67f40028919b280f0044fc4e0220000003002000000641e30632c0")
    /// FF size=1920x1080:rate=25 -c:v libx264 -flags +ildct -f h264 out.264   (frame_mbs_only_flag 0, MBAFF)
    static let h264_interlaced = hexBytes("67640028acd94078044fde0220000003002000000643e2c5b2c0")
    /// FF size=640x360:rate=30 -c:v libx264 -bf 0 -profile:v baseline -f h264 out.264   (pic_order_cnt_type 2)
    static let h264_baseline = hexBytes("6742c01ed900a02ff970110000030001000003003c0f162e48")
    /// FF size=720x480:rate=30000/1001 -vf setsar=8/9 -c:v libx264 -x264-params
    /// overscan=show:videoformat=ntsc:range=tv:colorprim=smpte170m:transfer=smpte170m:colormatrix=smpte170m:chromaloc=1
    /// -f h264 out.264   (Extended_SAR 8:9, overscan, colour description, chroma location, 29.97 fps)
    static let h264_ntscFullVUI = hexBytes("6764001eacd940b43dbff00080009a9060606a5000003e90000ea600f162d960")

    /// Synthesized (no installed encoder writes these syntax elements: x264 never
    /// sends SPS scaling matrices, pic_order_cnt_type 1 or separate colour planes)
    /// with a Python bit writer, then validated with FFmpeg's CBS parser
    /// (`-bsf:v trace_headers`, which read it through rbsp_stop_one_bit):
    /// profile 244, level 51, chroma_format_idc 3 with separate_colour_plane_flag 1,
    /// 10-bit, seq_scaling_matrix_present_flag 1 with 12 lists (0: sixteen explicit
    /// deltas, 1: "use default" delta -8, 6 and 8: 64 explicit deltas, 7: ends early
    /// via nextScale 0, others absent), pic_order_cnt_type 1 with a 3-entry cycle,
    /// 120×34 MBs, frame_mbs_only_flag 0 + MBAFF, crop left 2 right 2 bottom 4
    /// (ChromaArrayType 0 ⇒ CropUnitX 1, CropUnitY 2), VUI: Extended_SAR 4:3,
    /// overscan, video_format 5, full range, colour 9/16/9, chroma location,
    /// timing 1001/60000 fixed.
    static let h264_synthetic = hexBytes("""
        67f4003392dbb21c40b19453091436e11095d10ae8857442ba215d10ae8857442ba215d10ae8857442ba215d4c205029
        d128944a25128944a25128944a25128944a25128944a2512285442081a501e0113b72ffe00080007ee122013e000007d
        20001d4c1080
        """)

    // MARK: H.265 (libx265)

    /// FF size=1920x1080:rate=25 -c:v libx265 -f hevc out.265
    /// (x265's minimum CU is 8, so 1080 needs no conformance window: coded 1920×1080.)
    static let h265_1080p25 = hexBytes("420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000000c84")
    /// FF size=1920x1080:rate=25 -c:v libx265 -x265-params vui-timing-info=0 -f hevc out.265
    static let h265_1080pNoTiming = hexBytes("420101016000000300900000030000030078a003c08010e596566924caf0168008")
    /// FF size=1280x720:rate=30 -c:v libx265 -f hevc out.265
    static let h265_720p30 = hexBytes("42010101600000030090000003000003005da00280802d165959a4932bc05a020000030002000003003c10")
    /// FF size=854x480:rate=25 -c:v libx265 -f hevc out.265   (coded 856, conf_win_right_offset 1)
    static let h265_854x480 = hexBytes("42010101600000030090000003000003005aa006b201e1d796566924caf0168080000003008000000c84")
    /// FF size=854x478:rate=25 -c:v libx265 -pix_fmt yuv422p10le -f hevc out.265
    /// (Range Extensions, 4:2:2 10-bit, coded 856×480, conf window right 1 × SubWidthC 2, bottom 2 × SubHeightC 1)
    static let h265_422_10 = hexBytes("4201010408000003009d0800000300005ab006b201e1d5b65959a4932bc05a020000030002000003003210")
    /// FF size=1920x1080:rate=25 -c:v libx265 -pix_fmt yuv420p10le -f hevc out.265   (Main 10)
    static let h265_main10 = hexBytes("420101022000000300900000030000030078a003c08010e4d96566924caf016808000003000800000300c840")
    /// FF size=720x480:rate=30000/1001 -vf setsar=8/9 -c:v libx265 -x265-params
    /// overscan=show:videoformat=ntsc:range=limited:colorprim=smpte170m:transfer=smpte170m:colormatrix=smpte170m:chromaloc=1:display-window=8,0,8,0
    /// -f hevc out.265   (EXTENDED_SAR, colour description, chroma location, default display window, 29.97 fps)
    static let h265_ntscFullVUI = hexBytes("42010101600000030090000003000003005aa005a201e165959a4932bffc00200026a418181a908913c00000fa40001d4c02")
    /// ffmpeg -f lavfi -i testsrc2=size=1280x720:rate=50 -frames:v 10 -c:v libx265
    /// -x265-params temporal-layers=1:b-pyramid=0 -f hevc out.265
    /// (sps_max_sub_layers_minus1 1: sub-layer flags + reserved_zero_2bits in profile_tier_level)
    static let h265_subLayers = hexBytes("4201020160000003009000000300000300780000a00280802d165911888d24995e02d0100000030010000003032080")
    /// FF size=1920x1080:rate=25 -c:v libx265 -x265-params scaling-list=hm_scaling.txt -f hevc out.265
    /// where hm_scaling.txt is an HM-format custom matrix file (all 20 lists + DC values;
    /// the V lists equal the U lists, so x265 codes those with scaling_list_pred_mode_flag 0).
    static let h265_scalingLists = hexBytes("""
        420101016000000300900000030000030078a003c08010e596566924f8403013054130983c0984c260f0261304e0f81c
        c34180982a0984c2a0f826130a83e0982707c0e4a1e0c04c1504c261507c13098541f04c1384c31050180982a0984c2a
        0f826130a84c1f02709860a100600ac50260560d015826056381302b04c0ac320981302b04c0ac240ac1302b04c09815
        8541302b04c0ac1302b04c1504c0ac1302b04c0ac24098158260560983209815826056381302b04c1d056098502b0610
        d030056281302b0680ac1302b1c0ac130260561904c0ac1302b04c12056098158260560982a09815826056098158260a
        826056098158260561204c0ac1302b04c190560981302b1c0ac1302b0680ac130a0560c0a1e0600ac50260560d015826
        05638158260560983209815826056098240ac1302b04c0ac130541302b04c0ac1302b04c1504c0ac1302b04c0ac240ac
        13026056098320ac1302b04c38158260560d015826140ac18414030056281302b0e826056098702b04c0ac130641302b
        04c0ac1304815826056098158260a826056098158260560982a0ac1302b04c0981584815826056098158380560981582
        61c0ac1302b0680ac130a056084a18120c0158a04c0ac1a02b04c0ac7026056098158641302605609815848158260560
        981302b0a826056098158260560982a09815826056098158481302b04c0ac130641302b04c0ac70260560983a0ac130a
        0560c2080e0c0158a04c0ac1a02b04c0ac702b04c098158641302b04c0ac1304815826056098158260a8260560981582
        60560982a09815826056098158481302b04c0ac130641582604c0ac702b04c0ac1a02b04c28158302860c0c0158a04c0
        ac1a02b04c0ac702b04c0ac130641302b04c0ac1304815826056098158260a826056098158260560982a098158260560
        98158481582604c0ac1306415826056098702b04c0ac1a02b04c2815830820100c0158a04c0ac3a098158261c0ac1302
        b04c1904c0ac1302b04c12056098158260560982a09815826056098158260a82b04c0ac1302605612056098158260560
        e015826056098702b04c0ac1a02b04c281582128604830056281302b0680ac1302b1c098158260561904c09815826056
        120560981582604c0ac2a09815826056098158260a826056098158260561204c0ac1302b04c1904c0ac1302b1c098158
        260e82b04c2815830860c0c0158a04c0ac1a02b04c0ac702b04c0ac130641302b04c0ac1304815826056098158260a82
        6056098158260560982a09815826056098158481582604c0ac1306415826056098702b04c0ac1a02b04c28158305780b
        4040000003004000000642
        """)
    /// Real but corrupt: x265 3.5 two-pass with `multi-pass-opt-rps=1` (pass 2 of
    /// 60 frames of testsrc2=size=1280x720:rate=25, -b:v 1M) writes an SPS whose
    /// first short-term RPS has delta_poc_s0_minus1 = 1769471. FFmpeg rejects it too.
    static let h265_x265CorruptRPS = hexBytes("""
        42010101600000030090000003000003005da00280802d165959a4932104400001b00000580001409000700000030000
        030048003c05a02000000300200000030321
        """)

    /// Synthesized (x265 never writes inter-predicted short-term RPSs, long-term
    /// reference pictures, PCM, sub-layer profiles or field_seq) with a Python bit
    /// writer and validated with FFmpeg's CBS parser (`-bsf:v trace_headers`, read
    /// through rbsp_stop_one_bit): sps_max_sub_layers_minus1 2 (sub-layer 0 with
    /// profile + level, sub-layer 1 level only), high tier, profile 4, level 153,
    /// progressive 0 / interlaced 1, 4:4:4 12-bit, 3840×2176 with conformance window
    /// right 8 bottom 16, ordering info for the highest sub-layer only, scaling lists
    /// enabled without data, PCM, 6 short-term RPSs (0 and 5 explicit; 1–4 inter
    /// predicted, including entries whose predicted delta POC is 0), 2 long-term
    /// pictures, VUI: SAR idc 14 (4:3), colour 9/18/9, chroma location,
    /// field_seq_flag 1, frame_field_info, default display window 16/16/0/8,
    /// timing 1/50 with poc_proportional_to_timing.
    static let h265_synthetic = hexBytes("""
        4201042408000003004a0000030000030099d0002408000003004a00000300000300967b90003c0400440e2611294a33
        c9225777a9dad53d33df9e9e5ec1790b0e6a1224136dc22118980000030008000003019508
        """)

    static let realH264: [[UInt8]] = [
        h264_1080p25, h264_720p12_5, h264_704x576, h264_422, h264_10bit, h264_444,
        h264_interlaced, h264_baseline, h264_ntscFullVUI,
    ]
    static let realH265: [[UInt8]] = [
        h265_1080p25, h265_1080pNoTiming, h265_720p30, h265_854x480, h265_422_10, h265_main10,
        h265_ntscFullVUI, h265_subLayers, h265_scalingLists,
    ]
}

// MARK: - Expected values

struct H264SPSExpectation: Sendable, CustomTestStringConvertible {
    let name: String
    let nal: [UInt8]
    let profileIDC: Int
    let profileName: String
    let levelIDC: Int
    let chromaFormatIDC: Int
    let bitDepthLuma: Int
    let frameMBSOnly: Bool
    let picOrderCntType: Int
    let codedWidth: Int
    let codedHeight: Int
    let width: Int
    let height: Int
    let numUnitsInTick: UInt32
    let timeScale: UInt32
    let frameRate: Double

    var testDescription: String { name }
}

struct H265SPSExpectation: Sendable, CustomTestStringConvertible {
    let name: String
    let nal: [UInt8]
    let profileIDC: Int
    let profileName: String
    let levelIDC: Int
    let chromaFormatIDC: Int
    let bitDepthLuma: Int
    let maxSubLayers: Int
    let codedWidth: Int
    let codedHeight: Int
    let width: Int
    let height: Int
    let frameRate: Double?

    var testDescription: String { name }
}

let h264SPSExpectations: [H264SPSExpectation] = [
    .init(name: "x264 1920x1080 25 fps", nal: SPSFixtures.h264_1080p25, profileIDC: 100, profileName: "High",
          levelIDC: 40, chromaFormatIDC: 1, bitDepthLuma: 8, frameMBSOnly: true, picOrderCntType: 0,
          codedWidth: 1920, codedHeight: 1088, width: 1920, height: 1080, numUnitsInTick: 1, timeScale: 50, frameRate: 25.0),
    .init(name: "x264 1280x720 12.5 fps", nal: SPSFixtures.h264_720p12_5, profileIDC: 100, profileName: "High",
          levelIDC: 31, chromaFormatIDC: 1, bitDepthLuma: 8, frameMBSOnly: true, picOrderCntType: 0,
          codedWidth: 1280, codedHeight: 720, width: 1280, height: 720, numUnitsInTick: 2, timeScale: 50, frameRate: 12.5),
    .init(name: "x264 704x576 25 fps", nal: SPSFixtures.h264_704x576, profileIDC: 100, profileName: "High",
          levelIDC: 30, chromaFormatIDC: 1, bitDepthLuma: 8, frameMBSOnly: true, picOrderCntType: 0,
          codedWidth: 704, codedHeight: 576, width: 704, height: 576, numUnitsInTick: 1, timeScale: 50, frameRate: 25.0),
    .init(name: "x264 High 4:2:2 1080p", nal: SPSFixtures.h264_422, profileIDC: 122, profileName: "High 4:2:2",
          levelIDC: 40, chromaFormatIDC: 2, bitDepthLuma: 8, frameMBSOnly: true, picOrderCntType: 0,
          codedWidth: 1920, codedHeight: 1088, width: 1920, height: 1080, numUnitsInTick: 1, timeScale: 50, frameRate: 25.0),
    .init(name: "x264 High 10 1080p", nal: SPSFixtures.h264_10bit, profileIDC: 110, profileName: "High 10",
          levelIDC: 40, chromaFormatIDC: 1, bitDepthLuma: 10, frameMBSOnly: true, picOrderCntType: 0,
          codedWidth: 1920, codedHeight: 1088, width: 1920, height: 1080, numUnitsInTick: 1, timeScale: 50, frameRate: 25.0),
    .init(name: "x264 High 4:4:4 1080p", nal: SPSFixtures.h264_444, profileIDC: 244, profileName: "High 4:4:4 Predictive",
          levelIDC: 40, chromaFormatIDC: 3, bitDepthLuma: 8, frameMBSOnly: true, picOrderCntType: 0,
          codedWidth: 1920, codedHeight: 1088, width: 1920, height: 1080, numUnitsInTick: 1, timeScale: 50, frameRate: 25.0),
    .init(name: "x264 interlaced 1080i25", nal: SPSFixtures.h264_interlaced, profileIDC: 100, profileName: "High",
          levelIDC: 40, chromaFormatIDC: 1, bitDepthLuma: 8, frameMBSOnly: false, picOrderCntType: 0,
          codedWidth: 1920, codedHeight: 1088, width: 1920, height: 1080, numUnitsInTick: 1, timeScale: 50, frameRate: 25.0),
    .init(name: "x264 Constrained Baseline 640x360 30 fps", nal: SPSFixtures.h264_baseline, profileIDC: 66,
          profileName: "Constrained Baseline", levelIDC: 30, chromaFormatIDC: 1, bitDepthLuma: 8, frameMBSOnly: true,
          picOrderCntType: 2, codedWidth: 640, codedHeight: 368, width: 640, height: 360, numUnitsInTick: 1,
          timeScale: 60, frameRate: 30.0),
    .init(name: "x264 NTSC full VUI 29.97 fps", nal: SPSFixtures.h264_ntscFullVUI, profileIDC: 100, profileName: "High",
          levelIDC: 30, chromaFormatIDC: 1, bitDepthLuma: 8, frameMBSOnly: true, picOrderCntType: 0,
          codedWidth: 720, codedHeight: 480, width: 720, height: 480, numUnitsInTick: 1001, timeScale: 60000,
          frameRate: 60000.0 / 2002.0),
    .init(name: "synthetic High 4:4:4 scaling lists, POC type 1, separate planes", nal: SPSFixtures.h264_synthetic,
          profileIDC: 244, profileName: "High 4:4:4 Predictive", levelIDC: 51, chromaFormatIDC: 3, bitDepthLuma: 10,
          frameMBSOnly: false, picOrderCntType: 1, codedWidth: 1920, codedHeight: 1088, width: 1916, height: 1080,
          numUnitsInTick: 1001, timeScale: 60000, frameRate: 60000.0 / 2002.0),
]

let h265SPSExpectations: [H265SPSExpectation] = [
    .init(name: "x265 1920x1080 25 fps", nal: SPSFixtures.h265_1080p25, profileIDC: 1, profileName: "Main",
          levelIDC: 120, chromaFormatIDC: 1, bitDepthLuma: 8, maxSubLayers: 1,
          codedWidth: 1920, codedHeight: 1080, width: 1920, height: 1080, frameRate: 25.0),
    .init(name: "x265 1920x1080 without VUI timing", nal: SPSFixtures.h265_1080pNoTiming, profileIDC: 1,
          profileName: "Main", levelIDC: 120, chromaFormatIDC: 1, bitDepthLuma: 8, maxSubLayers: 1,
          codedWidth: 1920, codedHeight: 1080, width: 1920, height: 1080, frameRate: nil),
    .init(name: "x265 1280x720 30 fps", nal: SPSFixtures.h265_720p30, profileIDC: 1, profileName: "Main",
          levelIDC: 93, chromaFormatIDC: 1, bitDepthLuma: 8, maxSubLayers: 1,
          codedWidth: 1280, codedHeight: 720, width: 1280, height: 720, frameRate: 30.0),
    .init(name: "x265 854x480 conformance window", nal: SPSFixtures.h265_854x480, profileIDC: 1, profileName: "Main",
          levelIDC: 90, chromaFormatIDC: 1, bitDepthLuma: 8, maxSubLayers: 1,
          codedWidth: 856, codedHeight: 480, width: 854, height: 480, frameRate: 25.0),
    .init(name: "x265 RExt 4:2:2 10-bit 854x478", nal: SPSFixtures.h265_422_10, profileIDC: 4,
          profileName: "Range Extensions", levelIDC: 90, chromaFormatIDC: 2, bitDepthLuma: 10, maxSubLayers: 1,
          codedWidth: 856, codedHeight: 480, width: 854, height: 478, frameRate: 25.0),
    .init(name: "x265 Main 10 1080p", nal: SPSFixtures.h265_main10, profileIDC: 2, profileName: "Main 10",
          levelIDC: 120, chromaFormatIDC: 1, bitDepthLuma: 10, maxSubLayers: 1,
          codedWidth: 1920, codedHeight: 1080, width: 1920, height: 1080, frameRate: 25.0),
    .init(name: "x265 NTSC full VUI with display window", nal: SPSFixtures.h265_ntscFullVUI, profileIDC: 1,
          profileName: "Main", levelIDC: 90, chromaFormatIDC: 1, bitDepthLuma: 8, maxSubLayers: 1,
          codedWidth: 720, codedHeight: 480, width: 720, height: 480, frameRate: 30000.0 / 1001.0),
    .init(name: "x265 two sub-layers 720p50", nal: SPSFixtures.h265_subLayers, profileIDC: 1, profileName: "Main",
          levelIDC: 120, chromaFormatIDC: 1, bitDepthLuma: 8, maxSubLayers: 2,
          codedWidth: 1280, codedHeight: 720, width: 1280, height: 720, frameRate: 50.0),
    .init(name: "x265 custom scaling lists", nal: SPSFixtures.h265_scalingLists, profileIDC: 1, profileName: "Main",
          levelIDC: 120, chromaFormatIDC: 1, bitDepthLuma: 8, maxSubLayers: 1,
          codedWidth: 1920, codedHeight: 1080, width: 1920, height: 1080, frameRate: 25.0),
    .init(name: "synthetic RPS prediction, long-term refs, PCM, sub-layers", nal: SPSFixtures.h265_synthetic,
          profileIDC: 4, profileName: "Range Extensions", levelIDC: 153, chromaFormatIDC: 3, bitDepthLuma: 12,
          maxSubLayers: 3, codedWidth: 3840, codedHeight: 2176, width: 3832, height: 2160, frameRate: 50.0),
]

// MARK: - H.264

@Suite struct H264SPSTests {
    @Test(arguments: h264SPSExpectations)
    func parsesRealAndSyntheticSPS(_ e: H264SPSExpectation) throws {
        let sps = try H264SequenceParameterSet(nal: e.nal)
        #expect(sps.profileIDC == e.profileIDC)
        #expect(sps.profileName == e.profileName)
        #expect(sps.levelIDC == e.levelIDC)
        #expect(sps.chromaFormatIDC == e.chromaFormatIDC)
        #expect(sps.bitDepthLuma == e.bitDepthLuma)
        #expect(sps.bitDepthChroma == e.bitDepthLuma)
        #expect(sps.frameMBSOnly == e.frameMBSOnly)
        #expect(sps.picOrderCntType == e.picOrderCntType)
        #expect(sps.codedWidth == e.codedWidth)
        #expect(sps.codedHeight == e.codedHeight)
        #expect(sps.width == e.width)
        #expect(sps.height == e.height)
        #expect(sps.numUnitsInTick == e.numUnitsInTick)
        #expect(sps.timeScale == e.timeScale)
        #expect(sps.frameRate == e.frameRate)
    }

    @Test func x264DefaultVUI() throws {
        let sps = try H264SequenceParameterSet(nal: SPSFixtures.h264_1080p25)
        #expect(sps.spsID == 0)
        #expect(sps.constraintFlags == 0)
        #expect(sps.separateColourPlane == false)
        #expect(sps.maxNumRefFrames == 4)
        #expect(sps.sarWidth == 1)
        #expect(sps.sarHeight == 1)
        #expect(sps.videoFormat == nil)
        #expect(sps.videoFullRange == nil)
        #expect(sps.colourPrimaries == nil)
        #expect(sps.fixedFrameRate == false)
    }

    @Test func fullVUIWithExtendedSAR() throws {
        let sps = try H264SequenceParameterSet(nal: SPSFixtures.h264_ntscFullVUI)
        #expect(sps.sarWidth == 8)
        #expect(sps.sarHeight == 9)
        #expect(sps.videoFormat == 2)
        #expect(sps.videoFullRange == false)
        #expect(sps.colourPrimaries == 6)
        #expect(sps.transferCharacteristics == 6)
        #expect(sps.matrixCoefficients == 6)
        #expect(sps.fixedFrameRate == false)
        let rate = try #require(sps.frameRate)
        #expect(abs(rate - 29.97) < 0.001)
    }

    @Test func baselineConstraintFlags() throws {
        let sps = try H264SequenceParameterSet(nal: SPSFixtures.h264_baseline)
        #expect(sps.constraintFlags == 0xC0)
        #expect(sps.chromaFormatIDC == 1)  // inferred: Baseline SPS has no chroma_format_idc
        #expect(sps.bitDepthLuma == 8)
        #expect(sps.maxNumRefFrames == 3)
    }

    @Test func syntheticHighProfileFields() throws {
        let sps = try H264SequenceParameterSet(nal: SPSFixtures.h264_synthetic)
        #expect(sps.separateColourPlane == true)
        #expect(sps.maxNumRefFrames == 4)
        #expect(sps.sarWidth == 4)
        #expect(sps.sarHeight == 3)
        #expect(sps.videoFormat == 5)
        #expect(sps.videoFullRange == true)
        #expect(sps.colourPrimaries == 9)
        #expect(sps.transferCharacteristics == 16)
        #expect(sps.matrixCoefficients == 9)
        #expect(sps.fixedFrameRate == true)
    }

    @Test func acceptsArraySliceWithNonZeroStartIndex() throws {
        let stream: [UInt8] = [0, 0, 0, 1] + SPSFixtures.h264_1080p25 + [0, 0, 0, 1, 0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0]
        let slice = stream[4..<(4 + SPSFixtures.h264_1080p25.count)]
        #expect(try H264SequenceParameterSet(nal: slice) == H264SequenceParameterSet(nal: SPSFixtures.h264_1080p25))
    }

    @Test func emulationPreventionIsRemovedBeforeParsing() throws {
        // The 00 00 03 sequences of the x264 SPS sit inside num_units_in_tick / time_scale;
        // without removing them the timing would be garbage.
        let rbsp = NALUnits.removeEmulationPrevention(SPSFixtures.h264_1080p25)
        #expect(rbsp.count == SPSFixtures.h264_1080p25.count - 2)
        let sps = try H264SequenceParameterSet(nal: SPSFixtures.h264_1080p25)
        #expect(sps.numUnitsInTick == 1)
        #expect(sps.timeScale == 50)
    }

    @Test func rejectsNonSPSUnits() {
        #expect(throws: BitstreamError.truncated) { try H264SequenceParameterSet(nal: [UInt8]()) }
        #expect(throws: BitstreamError.truncated) { try H264SequenceParameterSet(nal: [0x67]) }
        #expect(throws: BitstreamError.invalid("NAL unit type 8 is not an H.264 SPS (7)")) {
            try H264SequenceParameterSet(nal: [0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0])
        }
        var forbidden = SPSFixtures.h264_1080p25
        forbidden[0] |= 0x80
        #expect(throws: BitstreamError.invalid("forbidden_zero_bit is set")) {
            try H264SequenceParameterSet(nal: forbidden)
        }
        // An H.265 SPS is not an H.264 SPS (0x42 & 0x1F = 2).
        #expect(throws: BitstreamError.self) { try H264SequenceParameterSet(nal: SPSFixtures.h265_1080p25) }
    }

    @Test func everyTruncationThrowsOrMatchesTheFullParse() throws {
        for nal in SPSFixtures.realH264 + [SPSFixtures.h264_synthetic] {
            let full = try H264SequenceParameterSet(nal: nal)
            var failures = 0
            for length in 0..<nal.count {
                do {
                    let partial = try H264SequenceParameterSet(nal: nal[0..<length])
                    // Only syntax after the timing info (HRD, restrictions, trailing bits) may be cut.
                    #expect(partial == full, "prefix of \(length) bytes parsed differently")
                } catch let error as BitstreamError {
                    #expect(error == .truncated, "prefix of \(length) bytes: \(error)")
                    failures += 1
                }
            }
            // Everything up to and including the last byte of time_scale is needed.
            #expect(failures >= nal.count - 4)
        }
    }

    @Test func outOfRangeValuesAreInvalid() {
        // profile 100, level 40, sps id 0, chroma_format_idc = ue 4 ("00101") → invalid.
        #expect(throws: BitstreamError.invalid("chroma_format_idc = 4 exceeds 3")) {
            try H264SequenceParameterSet(nal: [0x67, 100, 0, 40, 0b1001_0100, 0x80])
        }
        // 32 leading zero bits in seq_parameter_set_id.
        #expect(throws: BitstreamError.invalid("exp-Golomb code with more than 31 leading zero bits")) {
            try H264SequenceParameterSet(nal: [0x67, 66, 0, 30, 0, 0, 0, 0, 0x80])
        }
    }
}

// MARK: - H.265

@Suite struct H265SPSTests {
    @Test(arguments: h265SPSExpectations)
    func parsesRealAndSyntheticSPS(_ e: H265SPSExpectation) throws {
        let sps = try H265SequenceParameterSet(nal: e.nal)
        #expect(sps.profileIDC == e.profileIDC)
        #expect(sps.profileName == e.profileName)
        #expect(sps.levelIDC == e.levelIDC)
        #expect(sps.chromaFormatIDC == e.chromaFormatIDC)
        #expect(sps.bitDepthLuma == e.bitDepthLuma)
        #expect(sps.bitDepthChroma == e.bitDepthLuma)
        #expect(sps.maxSubLayers == e.maxSubLayers)
        #expect(sps.codedWidth == e.codedWidth)
        #expect(sps.codedHeight == e.codedHeight)
        #expect(sps.width == e.width)
        #expect(sps.height == e.height)
        #expect(sps.frameRate == e.frameRate)
    }

    @Test func x265DefaultVUI() throws {
        let sps = try H265SequenceParameterSet(nal: SPSFixtures.h265_1080p25)
        #expect(sps.profileSpace == 0)
        #expect(sps.highTier == false)
        #expect(sps.profileCompatibilityFlags == 0x6000_0000)  // Main and Main 10 compatible
        #expect(sps.progressiveSource == true)
        #expect(sps.interlacedSource == false)
        #expect(sps.spsID == 0)
        #expect(sps.separateColourPlane == false)
        #expect(sps.sarWidth == 1)
        #expect(sps.sarHeight == 1)
        #expect(sps.videoFormat == 5)
        #expect(sps.videoFullRange == false)
        #expect(sps.colourPrimaries == nil)
        #expect(sps.fieldSeq == false)
        #expect(sps.numUnitsInTick == 1)
        #expect(sps.timeScale == 25)
    }

    @Test func withoutTimingInfo() throws {
        let sps = try H265SequenceParameterSet(nal: SPSFixtures.h265_1080pNoTiming)
        #expect(sps.numUnitsInTick == nil)
        #expect(sps.timeScale == nil)
        #expect(sps.frameRate == nil)
        #expect(sps.videoFormat == 5)  // the VUI itself is still present
    }

    @Test func fullVUIWithDisplayWindow() throws {
        let sps = try H265SequenceParameterSet(nal: SPSFixtures.h265_ntscFullVUI)
        #expect(sps.sarWidth == 8)
        #expect(sps.sarHeight == 9)
        #expect(sps.videoFormat == 2)
        #expect(sps.videoFullRange == false)
        #expect(sps.colourPrimaries == 6)
        #expect(sps.transferCharacteristics == 6)
        #expect(sps.matrixCoefficients == 6)
        // The default display window (8, 0, 8, 0) is parsed past but does not crop.
        #expect(sps.width == 720)
        #expect(sps.numUnitsInTick == 1001)
        #expect(sps.timeScale == 30000)
        let rate = try #require(sps.frameRate)
        #expect(abs(rate - 29.97) < 0.001)
    }

    @Test func syntheticExoticSyntax() throws {
        let sps = try H265SequenceParameterSet(nal: SPSFixtures.h265_synthetic)
        #expect(sps.highTier == true)
        #expect(sps.profileCompatibilityFlags == 0x0800_0000)
        #expect(sps.progressiveSource == false)
        #expect(sps.interlacedSource == true)
        #expect(sps.sarWidth == 4)
        #expect(sps.sarHeight == 3)
        #expect(sps.videoFormat == 5)
        #expect(sps.videoFullRange == false)
        #expect(sps.colourPrimaries == 9)
        #expect(sps.transferCharacteristics == 18)
        #expect(sps.matrixCoefficients == 9)
        #expect(sps.fieldSeq == true)
        #expect(sps.numUnitsInTick == 1)
        #expect(sps.timeScale == 50)
    }

    @Test func corruptX265ReferencePictureSetIsRejected() {
        #expect(throws: BitstreamError.invalid("delta_poc_s0_minus1 = 1769471 exceeds 32767")) {
            try H265SequenceParameterSet(nal: SPSFixtures.h265_x265CorruptRPS)
        }
    }

    @Test func rejectsNonSPSUnits() {
        #expect(throws: BitstreamError.truncated) { try H265SequenceParameterSet(nal: [UInt8]()) }
        #expect(throws: BitstreamError.truncated) { try H265SequenceParameterSet(nal: [0x42]) }
        #expect(throws: BitstreamError.truncated) { try H265SequenceParameterSet(nal: [0x42, 0x01]) }
        #expect(throws: BitstreamError.invalid("NAL unit type 34 is not an H.265 SPS (33)")) {
            try H265SequenceParameterSet(nal: [0x44, 0x01, 0xC1, 0x72, 0xB4, 0x62, 0x40])
        }
        #expect(throws: BitstreamError.self) { try H265SequenceParameterSet(nal: SPSFixtures.h264_1080p25) }
    }

    @Test func everyTruncationThrowsOrMatchesTheFullParse() throws {
        for nal in SPSFixtures.realH265 + [SPSFixtures.h265_synthetic] {
            let full = try H265SequenceParameterSet(nal: nal)
            var failures = 0
            for length in 0..<nal.count {
                do {
                    let partial = try H265SequenceParameterSet(nal: nal[0..<length])
                    #expect(partial == full, "prefix of \(length) bytes parsed differently")
                } catch let error as BitstreamError {
                    #expect(error == .truncated, "prefix of \(length) bytes: \(error)")
                    failures += 1
                }
            }
            #expect(failures >= nal.count - 4)
        }
    }

    @Test func sameResultThroughEveryExtradataForm() throws {
        // FFmpeg's RTSP demuxer (Annex-B from SDP sprop-vps/sps/pps) and its MP4 demuxer (hvcC).
        let fromRTSP = try NALUnits.parameterSets(fromExtradata: NALFixtures.h265RTSPExtradata, codec: .h265)
        let fromMP4 = try NALUnits.parameterSets(fromExtradata: NALFixtures.h265hvcC, codec: .h265)
        let a = try H265SequenceParameterSet(nal: try #require(fromRTSP.sps.first))
        let b = try H265SequenceParameterSet(nal: try #require(fromMP4.sps.first))
        #expect(a == b)
        #expect(a.width == 1920)
        #expect(a.height == 1080)
        #expect(a.frameRate == 25.0)
    }
}

// MARK: - Robustness

/// Mutates `bytes` in one of several ways (bit flips, byte overwrites, insertion,
/// deletion, truncation, duplication of a run), or replaces it with random bytes.
private func mutate(_ bytes: [UInt8], headerLength: Int, using rng: inout SeededRandom) -> [UInt8] {
    var out = bytes
    let operations = Int.random(in: 1...4, using: &rng)
    for _ in 0..<operations {
        switch Int.random(in: 0..<7, using: &rng) {
        case 0, 1:  // flip bits in the payload
            if out.count > headerLength {
                let index = Int.random(in: headerLength..<out.count, using: &rng)
                out[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            }
        case 2:  // overwrite a byte (often with 0x00 / 0xFF / 0x03 to stress exp-Golomb and emulation prevention)
            if out.count > headerLength {
                let index = Int.random(in: headerLength..<out.count, using: &rng)
                out[index] = [0x00, 0xFF, 0x03, UInt8.random(in: 0...255, using: &rng)].randomElement(using: &rng)!
            }
        case 3:  // insert
            let index = Int.random(in: min(headerLength, out.count)...out.count, using: &rng)
            out.insert(UInt8.random(in: 0...255, using: &rng), at: index)
        case 4:  // delete
            if out.count > headerLength {
                out.remove(at: Int.random(in: headerLength..<out.count, using: &rng))
            }
        case 5:  // truncate
            out = Array(out.prefix(Int.random(in: 0...out.count, using: &rng)))
        default:  // random payload behind the original header
            let length = Int.random(in: 0...64, using: &rng)
            out = Array(out.prefix(headerLength)) + (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
    }
    return out
}

@Suite struct SPSFuzzTests {
    @Test func mutatedH264SPSNeverCrashes() {
        var rng = SeededRandom(seed: 0x5EED_0264)
        var parsed = 0
        var rejected = 0
        for iteration in 0..<20_000 {
            let seed = SPSFixtures.realH264[iteration % SPSFixtures.realH264.count]
            let input = mutate(seed, headerLength: 1, using: &rng)
            do {
                let sps = try H264SequenceParameterSet(nal: input)
                parsed += 1
                #expect(sps.codedWidth > 0 && sps.codedWidth % 16 == 0)
                #expect(sps.codedHeight > 0 && sps.codedHeight % 16 == 0)
                #expect(sps.width > 0 && sps.width <= sps.codedWidth)
                #expect(sps.height > 0 && sps.height <= sps.codedHeight)
                if let rate = sps.frameRate { #expect(rate > 0 && rate.isFinite) }
            } catch is BitstreamError {
                rejected += 1
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(parsed + rejected == 20_000)
        // Both outcomes must occur, or the mutator / parser is broken.
        #expect(parsed > 1_000)
        #expect(rejected > 1_000)
    }

    @Test func mutatedH265SPSNeverCrashes() {
        var rng = SeededRandom(seed: 0x5EED_0265)
        var parsed = 0
        var rejected = 0
        let seeds = SPSFixtures.realH265 + [SPSFixtures.h265_synthetic]
        for iteration in 0..<20_000 {
            let input = mutate(seeds[iteration % seeds.count], headerLength: 2, using: &rng)
            do {
                let sps = try H265SequenceParameterSet(nal: input)
                parsed += 1
                #expect(sps.width > 0 && sps.width <= sps.codedWidth)
                #expect(sps.height > 0 && sps.height <= sps.codedHeight)
                if let rate = sps.frameRate { #expect(rate > 0 && rate.isFinite) }
            } catch is BitstreamError {
                rejected += 1
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(parsed + rejected == 20_000)
        #expect(parsed > 1_000)
        #expect(rejected > 1_000)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededRandom(seed: 42)
        var rejected = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...48, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Give half of them a valid SPS header so the parsers get past the type check.
            if !bytes.isEmpty, Bool.random(using: &rng) { bytes[0] = 0x67 }
            if bytes.count > 1, Bool.random(using: &rng) { bytes[0] = 0x42; bytes[1] = 0x01 }
            do { _ = try H264SequenceParameterSet(nal: bytes) } catch is BitstreamError { rejected += 1 } catch {
                Issue.record("unexpected error type: \(error)")
            }
            do { _ = try H265SequenceParameterSet(nal: bytes) } catch is BitstreamError { rejected += 1 } catch {
                Issue.record("unexpected error type: \(error)")
            }
            for codec in VideoCodecFamily.allCases {
                do { _ = try NALUnits.parameterSets(fromExtradata: bytes, codec: codec) } catch is BitstreamError {
                    rejected += 1
                } catch {
                    Issue.record("unexpected error type: \(error)")
                }
            }
            var reader = BitReader(bytes)
            while (try? reader.readUE()) != nil {}
            _ = NALUnits.annexB(bytes)
            _ = NALUnits.removeEmulationPrevention(bytes)
        }
        #expect(rejected > 20_000)
    }
}

// H264SequenceParameterSet.swift — H.264 seq_parameter_set_data() (ITU-T H.264
// §7.3.2.1.1) and the VUI (Annex E.1.1) as far as timing_info.

/// The fields of an H.264 sequence parameter set that describe the picture
/// format and timing.
public struct H264SequenceParameterSet: Sendable, Equatable {
    /// `profile_idc` (66 Baseline, 77 Main, 100 High, 110 High 10, 122 High 4:2:2, 244 High 4:4:4, …).
    public var profileIDC: Int
    /// The byte holding `constraint_set0_flag` … `constraint_set5_flag` (MSB first) and 2 reserved bits.
    public var constraintFlags: UInt8
    /// `level_idc` (10 × level, e.g. 40 = 4.0; 11 with constraint_set3 in Baseline/Main/Extended = 1b).
    public var levelIDC: Int
    /// `seq_parameter_set_id`.
    public var spsID: Int
    /// `chroma_format_idc`: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 when absent).
    public var chromaFormatIDC: Int
    /// `separate_colour_plane_flag` (4:4:4 coded as three monochrome planes).
    public var separateColourPlane: Bool
    /// Luma sample bit depth (`bit_depth_luma_minus8 + 8`).
    public var bitDepthLuma: Int
    /// Chroma sample bit depth (`bit_depth_chroma_minus8 + 8`).
    public var bitDepthChroma: Int
    /// `pic_order_cnt_type` (0, 1 or 2).
    public var picOrderCntType: Int
    /// `max_num_ref_frames`.
    public var maxNumRefFrames: Int
    /// `frame_mbs_only_flag`; false means the stream may contain field pictures
    /// or MBAFF frames (interlaced coding).
    public var frameMBSOnly: Bool
    /// Decoded frame width in luma samples, a multiple of 16 (before cropping).
    public var codedWidth: Int
    /// Decoded frame height in luma samples, a multiple of 16 (32 when
    /// `frame_mbs_only_flag` is 0), before cropping.
    public var codedHeight: Int
    /// Display width after frame cropping.
    public var width: Int
    /// Display height after frame cropping.
    public var height: Int
    /// Sample aspect ratio width (from `aspect_ratio_idc` or Extended_SAR), nil when absent or unspecified.
    public var sarWidth: Int?
    /// Sample aspect ratio height, nil when absent or unspecified.
    public var sarHeight: Int?
    /// `video_format` (0 component, 1 PAL, 2 NTSC, 3 SECAM, 4 MAC, 5 unspecified), nil when absent.
    public var videoFormat: Int?
    /// `video_full_range_flag`, nil when `video_signal_type_present_flag` is 0.
    public var videoFullRange: Bool?
    /// `colour_primaries`, nil when no colour description is present.
    public var colourPrimaries: Int?
    /// `transfer_characteristics`, nil when no colour description is present.
    public var transferCharacteristics: Int?
    /// `matrix_coefficients`, nil when no colour description is present.
    public var matrixCoefficients: Int?
    /// VUI `num_units_in_tick`, nil when timing info is absent.
    public var numUnitsInTick: UInt32?
    /// VUI `time_scale`, nil when timing info is absent.
    public var timeScale: UInt32?
    /// VUI `fixed_frame_rate_flag`, nil when timing info is absent.
    public var fixedFrameRate: Bool?

    /// Frames per second from VUI timing: `time_scale / (2 × num_units_in_tick)`
    /// (one tick is a field period). Nil without timing info or with a zero field.
    public var frameRate: Double? {
        guard let numUnitsInTick, let timeScale, numUnitsInTick > 0, timeScale > 0 else { return nil }
        return Double(timeScale) / (2 * Double(numUnitsInTick))
    }

    /// A human-readable profile name, nil for unknown `profile_idc` values.
    public var profileName: String? {
        let set1 = constraintFlags & 0x40 != 0
        let set3 = constraintFlags & 0x10 != 0
        switch profileIDC {
        case 66: return set1 ? "Constrained Baseline" : "Baseline"
        case 77: return "Main"
        case 88: return "Extended"
        case 100: return "High"
        case 110: return set3 ? "High 10 Intra" : "High 10"
        case 122: return set3 ? "High 4:2:2 Intra" : "High 4:2:2"
        case 244: return set3 ? "High 4:4:4 Intra" : "High 4:4:4 Predictive"
        case 44: return "CAVLC 4:4:4 Intra"
        case 83: return "Scalable Baseline"
        case 86: return "Scalable High"
        case 118: return "Multiview High"
        case 128: return "Stereo High"
        case 134: return "MFC High"
        case 135: return "MFC Depth High"
        case 138: return "Multiview Depth High"
        case 139: return "Enhanced Multiview Depth High"
        default: return nil
        }
    }

    /// Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices.
    static let highProfiles: Set<Int> = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    /// Largest accepted coded dimension; anything larger is treated as corrupt.
    static let maxDimension = 1 << 16

    /// Parses an SPS NAL unit.
    ///
    /// - Parameter nal: the complete NAL unit including its 1-byte header
    ///   (`nal_unit_type` 7), without start code; emulation-prevention bytes
    ///   may still be present.
    /// - Throws: `BitstreamError` if the unit is not an SPS, is truncated or
    ///   holds out-of-range values.
    public init(nal: ArraySlice<UInt8>) throws {
        guard let header = nal.first else { throw BitstreamError.truncated }
        guard header & 0x80 == 0 else { throw BitstreamError.invalid("forbidden_zero_bit is set") }
        let type = NALUnits.h264NALType(header)
        guard type == NALUnits.h264SPS else {
            throw BitstreamError.invalid("NAL unit type \(type) is not an H.264 SPS (7)")
        }
        var r = BitReader(NALUnits.removeEmulationPrevention(nal.dropFirst()))

        profileIDC = Int(try r.readBits(8))
        constraintFlags = UInt8(try r.readBits(8))
        levelIDC = Int(try r.readBits(8))
        spsID = try r.readUE(max: 31, "seq_parameter_set_id")

        chromaFormatIDC = 1
        separateColourPlane = false
        bitDepthLuma = 8
        bitDepthChroma = 8
        if Self.highProfiles.contains(profileIDC) {
            chromaFormatIDC = try r.readUE(max: 3, "chroma_format_idc")
            if chromaFormatIDC == 3 {
                separateColourPlane = try r.readFlag()
            }
            bitDepthLuma = 8 + (try r.readUE(max: 6, "bit_depth_luma_minus8"))
            bitDepthChroma = 8 + (try r.readUE(max: 6, "bit_depth_chroma_minus8"))
            _ = try r.readFlag()  // qpprime_y_zero_transform_bypass_flag
            if try r.readFlag() {  // seq_scaling_matrix_present_flag
                let listCount = chromaFormatIDC == 3 ? 12 : 8
                for index in 0..<listCount {
                    if try r.readFlag() {  // seq_scaling_list_present_flag[i]
                        try Self.skipScalingList(&r, size: index < 6 ? 16 : 64)
                    }
                }
            }
        }

        _ = try r.readUE()  // log2_max_frame_num_minus4
        picOrderCntType = try r.readUE(max: 2, "pic_order_cnt_type")
        switch picOrderCntType {
        case 0:
            _ = try r.readUE()  // log2_max_pic_order_cnt_lsb_minus4
        case 1:
            _ = try r.readFlag()  // delta_pic_order_always_zero_flag
            _ = try r.readSE()  // offset_for_non_ref_pic
            _ = try r.readSE()  // offset_for_top_to_bottom_field
            let cycleLength = try r.readUE(max: 255, "num_ref_frames_in_pic_order_cnt_cycle")
            for _ in 0..<cycleLength {
                _ = try r.readSE()  // offset_for_ref_frame[i]
            }
        default:
            break
        }
        maxNumRefFrames = Int(try r.readUE())
        _ = try r.readFlag()  // gaps_in_frame_num_value_allowed_flag

        let widthInMBs = Int(try r.readUE()) + 1  // pic_width_in_mbs_minus1 + 1
        let heightInMapUnits = Int(try r.readUE()) + 1  // pic_height_in_map_units_minus1 + 1
        frameMBSOnly = try r.readFlag()
        if !frameMBSOnly {
            _ = try r.readFlag()  // mb_adaptive_frame_field_flag
        }
        _ = try r.readFlag()  // direct_8x8_inference_flag

        codedWidth = widthInMBs * 16
        codedHeight = heightInMapUnits * (frameMBSOnly ? 1 : 2) * 16
        guard codedWidth <= Self.maxDimension, codedHeight <= Self.maxDimension else {
            throw BitstreamError.invalid("implausible coded size \(codedWidth)x\(codedHeight)")
        }

        width = codedWidth
        height = codedHeight
        if try r.readFlag() {  // frame_cropping_flag
            let left = Int(try r.readUE())
            let right = Int(try r.readUE())
            let top = Int(try r.readUE())
            let bottom = Int(try r.readUE())
            // §7.4.2.1.1: crop units depend on ChromaArrayType and frame_mbs_only_flag.
            let chromaArrayType = separateColourPlane ? 0 : chromaFormatIDC
            let cropUnitX: Int
            let cropUnitY: Int
            if chromaArrayType == 0 {
                cropUnitX = 1
                cropUnitY = frameMBSOnly ? 1 : 2
            } else {
                let subWidthC = chromaArrayType == 3 ? 1 : 2
                let subHeightC = chromaArrayType == 1 ? 2 : 1
                cropUnitX = subWidthC
                cropUnitY = subHeightC * (frameMBSOnly ? 1 : 2)
            }
            // Offsets are < 2^32 and units ≤ 4, so these products cannot overflow Int.
            width = codedWidth - cropUnitX * (left + right)
            height = codedHeight - cropUnitY * (top + bottom)
            guard width > 0, height > 0 else {
                throw BitstreamError.invalid("frame cropping leaves no picture (\(width)x\(height))")
            }
        }

        sarWidth = nil
        sarHeight = nil
        videoFormat = nil
        videoFullRange = nil
        colourPrimaries = nil
        transferCharacteristics = nil
        matrixCoefficients = nil
        numUnitsInTick = nil
        timeScale = nil
        fixedFrameRate = nil
        if try r.readFlag() {  // vui_parameters_present_flag
            try parseVUI(&r)
        }
    }

    /// Parses an SPS NAL unit held in an array (including its 1-byte header).
    public init(nal: [UInt8]) throws {
        try self.init(nal: nal[...])
    }

    /// VUI parameters (Annex E.1.1) up to and including the timing info.
    private mutating func parseVUI(_ r: inout BitReader) throws {
        let prefix = try VUIPrefix(&r)
        sarWidth = prefix.sarWidth
        sarHeight = prefix.sarHeight
        videoFormat = prefix.videoFormat
        videoFullRange = prefix.videoFullRange
        colourPrimaries = prefix.colourPrimaries
        transferCharacteristics = prefix.transferCharacteristics
        matrixCoefficients = prefix.matrixCoefficients
        if try r.readFlag() {  // timing_info_present_flag
            numUnitsInTick = try r.readBits(32)
            timeScale = try r.readBits(32)
            fixedFrameRate = try r.readFlag()
        }
        // HRD parameters, pic_struct_present_flag and bitstream restrictions follow; not needed.
    }

    /// Skips one scaling_list() (§7.3.2.1.1.1) of `size` coefficients.
    private static func skipScalingList(_ r: inout BitReader, size: Int) throws {
        var lastScale = 8
        var nextScale = 8
        for _ in 0..<size {
            if nextScale != 0 {
                let delta = try r.readSE(in: -128...127, "delta_scale")
                nextScale = (lastScale + delta + 256) % 256
            }
            if nextScale != 0 {
                lastScale = nextScale
            }
            // nextScale == 0 ⇒ the rest of the list repeats lastScale (or, at j = 0,
            // selects the default matrix); nothing more is coded.
        }
    }

    /// Table E-1 sample aspect ratios for `aspect_ratio_idc` 1…16 (shared with H.265).
    static func sampleAspectRatio(idc: Int) -> (width: Int, height: Int)? {
        switch idc {
        case 1: (1, 1)
        case 2: (12, 11)
        case 3: (10, 11)
        case 4: (16, 11)
        case 5: (40, 33)
        case 6: (24, 11)
        case 7: (20, 11)
        case 8: (32, 11)
        case 9: (80, 33)
        case 10: (18, 11)
        case 11: (15, 11)
        case 12: (64, 33)
        case 13: (160, 99)
        case 14: (4, 3)
        case 15: (3, 2)
        case 16: (2, 1)
        default: nil
        }
    }
}

// H265SequenceParameterSet.swift — H.265 seq_parameter_set_rbsp() (ITU-T H.265
// §7.3.2.2) and the VUI (Annex E.2.1) as far as the timing info.

/// The fields of an H.265 sequence parameter set that describe the picture
/// format and timing.
public struct H265SequenceParameterSet: Sendable, Equatable {
    /// `general_profile_space`.
    public var profileSpace: Int
    /// `general_tier_flag` (false Main tier, true High tier).
    public var highTier: Bool
    /// `general_profile_idc` (1 Main, 2 Main 10, 3 Main Still Picture, 4 Range Extensions, …).
    public var profileIDC: Int
    /// `general_profile_compatibility_flag[0…31]`, flag 0 in the most significant bit.
    public var profileCompatibilityFlags: UInt32
    /// `general_progressive_source_flag`.
    public var progressiveSource: Bool
    /// `general_interlaced_source_flag`.
    public var interlacedSource: Bool
    /// `general_level_idc` (30 × level, e.g. 120 = 4.0, 93 = 3.1).
    public var levelIDC: Int
    /// `sps_max_sub_layers_minus1 + 1`.
    public var maxSubLayers: Int
    /// `sps_seq_parameter_set_id`.
    public var spsID: Int
    /// `chroma_format_idc`: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4.
    public var chromaFormatIDC: Int
    /// `separate_colour_plane_flag`.
    public var separateColourPlane: Bool
    /// Luma sample bit depth (`bit_depth_luma_minus8 + 8`).
    public var bitDepthLuma: Int
    /// Chroma sample bit depth (`bit_depth_chroma_minus8 + 8`).
    public var bitDepthChroma: Int
    /// `pic_width_in_luma_samples` (before the conformance window).
    public var codedWidth: Int
    /// `pic_height_in_luma_samples` (before the conformance window).
    public var codedHeight: Int
    /// Width after the conformance window.
    public var width: Int
    /// Height after the conformance window.
    public var height: Int
    /// Sample aspect ratio width, nil when absent or unspecified.
    public var sarWidth: Int?
    /// Sample aspect ratio height, nil when absent or unspecified.
    public var sarHeight: Int?
    /// `video_format`, nil when absent.
    public var videoFormat: Int?
    /// `video_full_range_flag`, nil when `video_signal_type_present_flag` is 0.
    public var videoFullRange: Bool?
    /// `colour_primaries`, nil when no colour description is present.
    public var colourPrimaries: Int?
    /// `transfer_characteristics`, nil when no colour description is present.
    public var transferCharacteristics: Int?
    /// `matrix_coefficients`, nil when no colour description is present.
    public var matrixCoefficients: Int?
    /// VUI `field_seq_flag`: each picture is a field (false when no VUI).
    public var fieldSeq: Bool
    /// `vui_num_units_in_tick`, nil when timing info is absent.
    public var numUnitsInTick: UInt32?
    /// `vui_time_scale`, nil when timing info is absent.
    public var timeScale: UInt32?

    /// Pictures per second from VUI timing: `vui_time_scale / vui_num_units_in_tick`.
    /// Nil without timing info or with a zero field. (When `fieldSeq` is true
    /// this is the field rate.)
    public var frameRate: Double? {
        guard let numUnitsInTick, let timeScale, numUnitsInTick > 0, timeScale > 0 else { return nil }
        return Double(timeScale) / Double(numUnitsInTick)
    }

    /// A human-readable profile name, nil for unknown `general_profile_idc` values.
    public var profileName: String? {
        switch profileIDC {
        case 1: "Main"
        case 2: "Main 10"
        case 3: "Main Still Picture"
        case 4: "Range Extensions"
        case 5: "High Throughput"
        case 6: "Multiview Main"
        case 7: "Scalable Main"
        case 8: "3D Main"
        case 9: "Screen Content Coding"
        case 10: "Scalable Range Extensions"
        case 11: "High Throughput Screen Content Coding"
        default: nil
        }
    }

    /// Largest accepted coded dimension; anything larger is treated as corrupt.
    static let maxDimension = 1 << 16

    /// Parses an SPS NAL unit.
    ///
    /// - Parameter nal: the complete NAL unit including its 2-byte header
    ///   (`nal_unit_type` 33), without start code; emulation-prevention bytes
    ///   may still be present.
    /// - Throws: `BitstreamError` if the unit is not an SPS, is truncated or
    ///   holds out-of-range values.
    public init(nal: ArraySlice<UInt8>) throws {
        guard nal.count >= 2, let header = nal.first else { throw BitstreamError.truncated }
        guard header & 0x80 == 0 else { throw BitstreamError.invalid("forbidden_zero_bit is set") }
        let type = NALUnits.h265NALType(header)
        guard type == NALUnits.h265SPS else {
            throw BitstreamError.invalid("NAL unit type \(type) is not an H.265 SPS (33)")
        }
        var r = BitReader(NALUnits.removeEmulationPrevention(nal.dropFirst(2)))

        _ = try r.readBits(4)  // sps_video_parameter_set_id
        let maxSubLayersMinus1 = Int(try r.readBits(3))
        guard maxSubLayersMinus1 <= 6 else {
            throw BitstreamError.invalid("sps_max_sub_layers_minus1 = \(maxSubLayersMinus1) exceeds 6")
        }
        maxSubLayers = maxSubLayersMinus1 + 1
        _ = try r.readFlag()  // sps_temporal_id_nesting_flag

        // profile_tier_level(1, sps_max_sub_layers_minus1) — §7.3.3
        profileSpace = Int(try r.readBits(2))
        highTier = try r.readFlag()
        profileIDC = Int(try r.readBits(5))
        profileCompatibilityFlags = try r.readBits(32)
        progressiveSource = try r.readFlag()
        interlacedSource = try r.readFlag()
        _ = try r.readFlag()  // general_non_packed_constraint_flag
        _ = try r.readFlag()  // general_frame_only_constraint_flag
        try r.skipBits(43)  // general_*_constraint flags / reserved bits
        try r.skipBits(1)  // general_inbld_flag or reserved bit
        levelIDC = Int(try r.readBits(8))
        var subLayerProfilePresent: [Bool] = []
        var subLayerLevelPresent: [Bool] = []
        for _ in 0..<maxSubLayersMinus1 {
            subLayerProfilePresent.append(try r.readFlag())
            subLayerLevelPresent.append(try r.readFlag())
        }
        if maxSubLayersMinus1 > 0 {
            try r.skipBits(2 * (8 - maxSubLayersMinus1))  // reserved_zero_2bits
        }
        for i in 0..<maxSubLayersMinus1 {
            if subLayerProfilePresent[i] {
                try r.skipBits(88)  // sub_layer profile space … inbld/reserved bit
            }
            if subLayerLevelPresent[i] {
                try r.skipBits(8)  // sub_layer_level_idc
            }
        }

        spsID = try r.readUE(max: 15, "sps_seq_parameter_set_id")
        chromaFormatIDC = try r.readUE(max: 3, "chroma_format_idc")
        separateColourPlane = false
        if chromaFormatIDC == 3 {
            separateColourPlane = try r.readFlag()
        }
        codedWidth = Int(try r.readUE())
        codedHeight = Int(try r.readUE())
        guard codedWidth > 0, codedHeight > 0,
              codedWidth <= Self.maxDimension, codedHeight <= Self.maxDimension
        else {
            throw BitstreamError.invalid("implausible coded size \(codedWidth)x\(codedHeight)")
        }
        width = codedWidth
        height = codedHeight
        if try r.readFlag() {  // conformance_window_flag
            let left = Int(try r.readUE())
            let right = Int(try r.readUE())
            let top = Int(try r.readUE())
            let bottom = Int(try r.readUE())
            // Offsets are in chroma sample units (Table 6-1; ChromaArrayType 0 ⇒ 1×1).
            let chromaArrayType = separateColourPlane ? 0 : chromaFormatIDC
            let subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1
            let subHeightC = chromaArrayType == 1 ? 2 : 1
            width = codedWidth - subWidthC * (left + right)
            height = codedHeight - subHeightC * (top + bottom)
            guard width > 0, height > 0 else {
                throw BitstreamError.invalid("conformance window leaves no picture (\(width)x\(height))")
            }
        }
        bitDepthLuma = 8 + (try r.readUE(max: 8, "bit_depth_luma_minus8"))
        bitDepthChroma = 8 + (try r.readUE(max: 8, "bit_depth_chroma_minus8"))
        let log2MaxPicOrderCntLsb = 4 + (try r.readUE(max: 12, "log2_max_pic_order_cnt_lsb_minus4"))

        let subLayerOrderingInfoPresent = try r.readFlag()
        for _ in (subLayerOrderingInfoPresent ? 0 : maxSubLayersMinus1)...maxSubLayersMinus1 {
            _ = try r.readUE()  // sps_max_dec_pic_buffering_minus1
            _ = try r.readUE()  // sps_max_num_reorder_pics
            _ = try r.readUE()  // sps_max_latency_increase_plus1
        }

        _ = try r.readUE()  // log2_min_luma_coding_block_size_minus3
        _ = try r.readUE()  // log2_diff_max_min_luma_coding_block_size
        _ = try r.readUE()  // log2_min_luma_transform_block_size_minus2
        _ = try r.readUE()  // log2_diff_max_min_luma_transform_block_size
        _ = try r.readUE()  // max_transform_hierarchy_depth_inter
        _ = try r.readUE()  // max_transform_hierarchy_depth_intra
        if try r.readFlag() {  // scaling_list_enabled_flag
            if try r.readFlag() {  // sps_scaling_list_data_present_flag
                try Self.skipScalingListData(&r)
            }
        }
        _ = try r.readFlag()  // amp_enabled_flag
        _ = try r.readFlag()  // sample_adaptive_offset_enabled_flag
        if try r.readFlag() {  // pcm_enabled_flag
            _ = try r.readBits(4)  // pcm_sample_bit_depth_luma_minus1
            _ = try r.readBits(4)  // pcm_sample_bit_depth_chroma_minus1
            _ = try r.readUE()  // log2_min_pcm_luma_coding_block_size_minus3
            _ = try r.readUE()  // log2_diff_max_min_pcm_luma_coding_block_size
            _ = try r.readFlag()  // pcm_loop_filter_disabled_flag
        }

        let rpsCount = try r.readUE(max: 64, "num_short_term_ref_pic_sets")
        var sets: [ShortTermRPS] = []
        sets.reserveCapacity(rpsCount)
        for index in 0..<rpsCount {
            sets.append(try ShortTermRPS.parse(&r, index: index, previous: sets))
        }
        if try r.readFlag() {  // long_term_ref_pics_present_flag
            let longTermCount = try r.readUE(max: 32, "num_long_term_ref_pics_sps")
            for _ in 0..<longTermCount {
                _ = try r.readBits(log2MaxPicOrderCntLsb)  // lt_ref_pic_poc_lsb_sps[i]
                _ = try r.readFlag()  // used_by_curr_pic_lt_sps_flag[i]
            }
        }
        _ = try r.readFlag()  // sps_temporal_mvp_enabled_flag
        _ = try r.readFlag()  // strong_intra_smoothing_enabled_flag

        sarWidth = nil
        sarHeight = nil
        videoFormat = nil
        videoFullRange = nil
        colourPrimaries = nil
        transferCharacteristics = nil
        matrixCoefficients = nil
        fieldSeq = false
        numUnitsInTick = nil
        timeScale = nil
        if try r.readFlag() {  // vui_parameters_present_flag
            try parseVUI(&r)
        }
    }

    /// Parses an SPS NAL unit held in an array (including its 2-byte header).
    public init(nal: [UInt8]) throws {
        try self.init(nal: nal[...])
    }

    /// VUI parameters (Annex E.2.1) up to and including the timing info.
    private mutating func parseVUI(_ r: inout BitReader) throws {
        let prefix = try VUIPrefix(&r)
        sarWidth = prefix.sarWidth
        sarHeight = prefix.sarHeight
        videoFormat = prefix.videoFormat
        videoFullRange = prefix.videoFullRange
        colourPrimaries = prefix.colourPrimaries
        transferCharacteristics = prefix.transferCharacteristics
        matrixCoefficients = prefix.matrixCoefficients
        _ = try r.readFlag()  // neutral_chroma_indication_flag
        fieldSeq = try r.readFlag()
        _ = try r.readFlag()  // frame_field_info_present_flag
        if try r.readFlag() {  // default_display_window_flag
            _ = try r.readUE()  // def_disp_win_left_offset
            _ = try r.readUE()  // def_disp_win_right_offset
            _ = try r.readUE()  // def_disp_win_top_offset
            _ = try r.readUE()  // def_disp_win_bottom_offset
        }
        if try r.readFlag() {  // vui_timing_info_present_flag
            numUnitsInTick = try r.readBits(32)
            timeScale = try r.readBits(32)
            if try r.readFlag() {  // vui_poc_proportional_to_timing_flag
                _ = try r.readUE()  // vui_num_ticks_poc_diff_one_minus1
            }
        }
        // HRD parameters and bitstream restrictions follow; not needed.
    }

    /// Skips scaling_list_data() (§7.3.4).
    private static func skipScalingListData(_ r: inout BitReader) throws {
        for sizeID in 0..<4 {
            let step = sizeID == 3 ? 3 : 1
            for matrixID in stride(from: 0, to: 6, by: step) {
                if try r.readFlag() == false {  // scaling_list_pred_mode_flag
                    _ = try r.readUE(max: UInt32(matrixID / step), "scaling_list_pred_matrix_id_delta")
                } else {
                    let coefficientCount = min(64, 1 << (4 + (sizeID << 1)))
                    if sizeID > 1 {
                        _ = try r.readSE(in: -7...247, "scaling_list_dc_coef_minus8")
                    }
                    for _ in 0..<coefficientCount {
                        _ = try r.readSE(in: -128...127, "scaling_list_delta_coef")
                    }
                }
            }
        }
    }
}

/// A short-term reference picture set, reduced to the delta POCs needed to
/// parse later sets that predict from it (§7.3.7, §7.4.8).
private struct ShortTermRPS {
    /// DeltaPocS0 (negative, closest first).
    var negative: [Int]
    /// DeltaPocS1 (positive, closest first).
    var positive: [Int]

    var deltaPocCount: Int { negative.count + positive.count }

    /// Upper bound on pictures per set (the DPB holds at most 16).
    static let maxPictures = 16

    /// st_ref_pic_set(stRpsIdx) as it appears in an SPS (stRpsIdx < num_short_term_ref_pic_sets).
    static func parse(_ r: inout BitReader, index: Int, previous: [ShortTermRPS]) throws -> ShortTermRPS {
        var interPrediction = false
        if index != 0 {
            interPrediction = try r.readFlag()  // inter_ref_pic_set_prediction_flag
        }
        if interPrediction {
            // In an SPS delta_idx_minus1 is absent (inferred 0): predict from the previous set.
            let reference = previous[index - 1]
            let sign = try r.readFlag()  // delta_rps_sign
            let absDeltaRps = try r.readUE(max: (1 << 15) - 1, "abs_delta_rps_minus1") + 1
            let deltaRps = sign ? -absDeltaRps : absDeltaRps
            // used_by_curr_pic_flag / use_delta_flag for each reference picture plus the reference itself.
            var useDelta: [Bool] = []
            for _ in 0...reference.deltaPocCount {
                var use = try r.readFlag()  // used_by_curr_pic_flag[j]
                if !use {
                    use = try r.readFlag()  // use_delta_flag[j] (inferred 1 when used)
                }
                useDelta.append(use)
            }
            // Derivation (7-61) / (7-62). j indexes S0 entries first, then S1, then the reference picture.
            let refNegative = reference.negative.count
            let refAll = reference.deltaPocCount
            var negative: [Int] = []
            for j in stride(from: reference.positive.count - 1, through: 0, by: -1) {
                let dPoc = reference.positive[j] + deltaRps
                if dPoc < 0, useDelta[refNegative + j] { negative.append(dPoc) }
            }
            if deltaRps < 0, useDelta[refAll] { negative.append(deltaRps) }
            for j in 0..<refNegative {
                let dPoc = reference.negative[j] + deltaRps
                if dPoc < 0, useDelta[j] { negative.append(dPoc) }
            }
            var positive: [Int] = []
            for j in stride(from: refNegative - 1, through: 0, by: -1) {
                let dPoc = reference.negative[j] + deltaRps
                if dPoc > 0, useDelta[j] { positive.append(dPoc) }
            }
            if deltaRps > 0, useDelta[refAll] { positive.append(deltaRps) }
            for j in 0..<reference.positive.count {
                let dPoc = reference.positive[j] + deltaRps
                if dPoc > 0, useDelta[refNegative + j] { positive.append(dPoc) }
            }
            guard negative.count + positive.count <= maxPictures else {
                throw BitstreamError.invalid("short-term RPS \(index) predicts more than \(maxPictures) pictures")
            }
            return ShortTermRPS(negative: negative, positive: positive)
        }

        let negativeCount = try r.readUE(max: UInt32(maxPictures), "num_negative_pics")
        let positiveCount = try r.readUE(max: UInt32(maxPictures - negativeCount), "num_positive_pics")
        var negative: [Int] = []
        var poc = 0
        for _ in 0..<negativeCount {
            poc -= try r.readUE(max: (1 << 15) - 1, "delta_poc_s0_minus1") + 1
            _ = try r.readFlag()  // used_by_curr_pic_s0_flag
            negative.append(poc)
        }
        var positive: [Int] = []
        poc = 0
        for _ in 0..<positiveCount {
            poc += try r.readUE(max: (1 << 15) - 1, "delta_poc_s1_minus1") + 1
            _ = try r.readFlag()  // used_by_curr_pic_s1_flag
            positive.append(poc)
        }
        return ShortTermRPS(negative: negative, positive: positive)
    }
}

/// The start of the video usability information that H.264 (Annex E.1.1) and
/// H.265 (Annex E.2.1) share word for word: aspect ratio, overscan, video signal
/// type with colour description, chroma location. Each codec's parser reads
/// this, then goes on with its own fields (timing among them).
struct VUIPrefix: Equatable {
    var sarWidth: Int?
    var sarHeight: Int?
    var videoFormat: Int?
    var videoFullRange: Bool?
    var colourPrimaries: Int?
    var transferCharacteristics: Int?
    var matrixCoefficients: Int?

    init() {}

    init(_ r: inout BitReader) throws {
        if try r.readFlag() {  // aspect_ratio_info_present_flag
            let idc = Int(try r.readBits(8))
            if idc == 255 {  // Extended_SAR
                let w = Int(try r.readBits(16))
                let h = Int(try r.readBits(16))
                if w > 0, h > 0 {
                    sarWidth = w
                    sarHeight = h
                }
            } else if let sar = H264SequenceParameterSet.sampleAspectRatio(idc: idc) {
                sarWidth = sar.width
                sarHeight = sar.height
            }
        }
        if try r.readFlag() {  // overscan_info_present_flag
            _ = try r.readFlag()  // overscan_appropriate_flag
        }
        if try r.readFlag() {  // video_signal_type_present_flag
            videoFormat = Int(try r.readBits(3))
            videoFullRange = try r.readFlag()
            if try r.readFlag() {  // colour_description_present_flag
                colourPrimaries = Int(try r.readBits(8))
                transferCharacteristics = Int(try r.readBits(8))
                matrixCoefficients = Int(try r.readBits(8))
            }
        }
        if try r.readFlag() {  // chroma_loc_info_present_flag
            _ = try r.readUE()  // chroma_sample_loc_type_top_field
            _ = try r.readUE()  // chroma_sample_loc_type_bottom_field
        }
    }
}

import CamProbeCore

/// Which NAL unit types one Annex-B packet holds; looks only at NAL headers.
struct NALScan {
    var hasKeyframe = false
    var hasSPS = false
    /// A slice (VCL NAL unit) starts in this packet.
    var hasSlice = false
    /// Bytes of picture data: from the first slice's start code to the end of the
    /// packet, or all of a packet that continues a fragmented slice. Parameter sets,
    /// SEI, delimiters and filler in front of the first slice are not picture data: a
    /// hung camera still sends them, with every macroblock of its frames skipped.
    var pictureBytes = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, family: VideoCodecFamily) {
        let count = bytes.count
        // A packet that does not open with a start code continues a fragmented
        // NAL unit (RTP FU-A/FU): slice data, nothing to look at.
        guard count >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 1 || (bytes[2] == 0 && bytes[3] == 1) else {
            pictureBytes = count
            return
        }
        var i = 0
        // Start codes 00 00 01 (a 4-byte one ends the same way). Slice data is
        // skipped by the first VCL NAL: nothing after it changes the answer.
        while i + 3 < count {
            if bytes[i] == 0, bytes[i + 1] == 0, bytes[i + 2] == 1 {
                let header = bytes[i + 3]
                switch family {
                case .h264:
                    let type = header & 0x1F
                    if type == 7 { hasSPS = true }
                    if type == 5 { hasKeyframe = true }
                    if (1...5).contains(type) {
                        hasSlice = true
                        pictureBytes = count &- i
                        return
                    }
                case .h265:
                    let type = (header >> 1) & 0x3F
                    if type == 33 { hasSPS = true }
                    if (16...21).contains(type) { hasKeyframe = true }
                    if type < 32 {
                        hasSlice = true
                        pictureBytes = count &- i
                        return
                    }
                }
                i += 3
            } else {
                i += 1
            }
        }
    }
}

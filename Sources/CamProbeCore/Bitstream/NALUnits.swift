// NALUnits.swift — Annex-B splitting, emulation prevention, extradata
// (Annex-B / avcC / hvcC) parameter-set extraction and NAL type helpers for
// H.264 and H.265.

/// The H.26x codec families whose bitstreams this module understands.
public enum VideoCodecFamily: String, Sendable, Equatable, Hashable, CaseIterable {
    case h264
    case h265
}

/// Parameter-set NAL units found in codec extradata. Each element is one
/// complete NAL unit including its header (1 byte for H.264, 2 for H.265),
/// still with emulation-prevention bytes, without a start code or length prefix.
public struct H26xParameterSets: Sendable, Equatable {
    /// H.265 video parameter sets (type 32); always empty for H.264.
    public var vps: [[UInt8]]
    /// Sequence parameter sets (H.264 type 7, H.265 type 33).
    public var sps: [[UInt8]]
    /// Picture parameter sets (H.264 type 8, H.265 type 34).
    public var pps: [[UInt8]]

    public init(vps: [[UInt8]] = [], sps: [[UInt8]] = [], pps: [[UInt8]] = []) {
        self.vps = vps
        self.sps = sps
        self.pps = pps
    }

    /// Whether no parameter set was found.
    public var isEmpty: Bool {
        vps.isEmpty && sps.isEmpty && pps.isEmpty
    }
}

/// Helpers for working with H.264 / H.265 NAL units.
public enum NALUnits {
    // MARK: NAL unit types

    /// H.264 `nal_unit_type` values used by this module.
    public static let h264IDR: UInt8 = 5
    public static let h264SPS: UInt8 = 7
    public static let h264PPS: UInt8 = 8
    /// H.265 `nal_unit_type` values used by this module.
    public static let h265VPS: UInt8 = 32
    public static let h265SPS: UInt8 = 33
    public static let h265PPS: UInt8 = 34
    /// H.265 IRAP picture types: BLA_W_LP (16) … CRA_NUT (21).
    public static let h265IRAPTypes: ClosedRange<UInt8> = 16...21

    /// The H.264 `nal_unit_type` (low 5 bits of the first header byte).
    public static func h264NALType(_ firstByte: UInt8) -> UInt8 {
        firstByte & 0x1F
    }

    /// The H.265 `nal_unit_type` (bits 1…6 of the first header byte).
    public static func h265NALType(_ firstByte: UInt8) -> UInt8 {
        (firstByte >> 1) & 0x3F
    }

    /// The `nal_unit_type` for `codec`.
    public static func nalType(_ firstByte: UInt8, codec: VideoCodecFamily) -> UInt8 {
        switch codec {
        case .h264: h264NALType(firstByte)
        case .h265: h265NALType(firstByte)
        }
    }

    /// Whether an H.264 NAL unit with this first header byte is an IDR slice (type 5).
    public static func isH264IDR(_ firstByte: UInt8) -> Bool {
        h264NALType(firstByte) == h264IDR
    }

    /// Whether an H.265 NAL unit with this first header byte is an IRAP
    /// picture (BLA, IDR or CRA: types 16…21).
    public static func isH265IRAP(_ firstByte: UInt8) -> Bool {
        h265IRAPTypes.contains(h265NALType(firstByte))
    }

    /// Whether a NAL unit with this first header byte starts a random-access
    /// (key) picture: H.264 IDR or H.265 IRAP.
    public static func isKeyframe(_ firstByte: UInt8, codec: VideoCodecFamily) -> Bool {
        switch codec {
        case .h264: isH264IDR(firstByte)
        case .h265: isH265IRAP(firstByte)
        }
    }

    /// Whether an Annex-B access unit (e.g. one demuxed packet) contains a
    /// keyframe NAL unit (H.264 IDR / H.265 IRAP).
    public static func containsKeyframe(annexB bytes: [UInt8], codec: VideoCodecFamily) -> Bool {
        annexB(bytes).contains { nal in
            guard let first = nal.first else { return false }
            return isKeyframe(first, codec: codec)
        }
    }

    // MARK: Annex-B

    /// Splits an Annex-B byte stream into NAL units (without start codes).
    ///
    /// Both 3-byte (`00 00 01`) and 4-byte (`00 00 00 01`) start codes are
    /// recognised; trailing zero bytes (the leading zero of a 4-byte start
    /// code, `trailing_zero_8bits`) are dropped from each unit, empty units are
    /// skipped, and bytes before the first start code are ignored. The slices
    /// share `bytes`' indices. Returns an empty array when there is no start code.
    public static func annexB(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        let count = bytes.count
        var payloadStarts: [Int] = []
        var codeStarts: [Int] = []
        var i = 0
        while i + 2 < count {
            let third = bytes[i + 2]
            if third > 1 {
                i += 3
            } else if third == 1, bytes[i] == 0, bytes[i + 1] == 0 {
                codeStarts.append(i)
                payloadStarts.append(i + 3)
                i += 3
            } else {
                i += 1
            }
        }
        var units: [ArraySlice<UInt8>] = []
        units.reserveCapacity(payloadStarts.count)
        for (index, start) in payloadStarts.enumerated() {
            var end = index + 1 < codeStarts.count ? codeStarts[index + 1] : count
            while end > start, bytes[end - 1] == 0 {
                end -= 1
            }
            if end > start {
                units.append(bytes[start..<end])
            }
        }
        return units
    }

    /// Converts a NAL unit (or any part of one) to RBSP bytes by removing every
    /// emulation-prevention byte: each `03` that follows two zero bytes
    /// (`00 00 03` → `00 00`).
    public static func removeEmulationPrevention(_ nal: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(nal.count)
        var zeros = 0
        for byte in nal {
            if zeros >= 2, byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            out.append(byte)
        }
        return out
    }

    /// Convenience overload of `removeEmulationPrevention(_:)` for arrays.
    public static func removeEmulationPrevention(_ nal: [UInt8]) -> [UInt8] {
        removeEmulationPrevention(nal[...])
    }

    // MARK: Extradata

    /// Extracts the parameter sets from codec extradata.
    ///
    /// Accepts Annex-B extradata (as FFmpeg's RTSP demuxer builds from SDP
    /// `sprop-parameter-sets` / `sprop-vps|sps|pps`, or a raw-stream demuxer
    /// keeps), an `AVCDecoderConfigurationRecord` (avcC, H.264, first byte 1)
    /// or an `HEVCDecoderConfigurationRecord` (hvcC, H.265). NAL units are
    /// classified by their own header, so order does not matter; other NAL
    /// types (SEI, …) are ignored. Empty extradata gives empty sets.
    ///
    /// - Throws: `BitstreamError` when an avcC/hvcC record is truncated or malformed.
    public static func parameterSets(fromExtradata extradata: [UInt8], codec: VideoCodecFamily) throws -> H26xParameterSets {
        if extradata.isEmpty { return H26xParameterSets() }
        if looksLikeAnnexB(extradata) {
            return classify(annexB(extradata).map { Array($0) }, codec: codec)
        }
        switch codec {
        case .h264: return classify(try avcCNALUnits(extradata), codec: codec)
        case .h265: return classify(try hvcCNALUnits(extradata), codec: codec)
        }
    }

    /// Whether `bytes` starts with an Annex-B start code (after any zero bytes).
    static func looksLikeAnnexB(_ bytes: [UInt8]) -> Bool {
        guard let firstNonZero = bytes.firstIndex(where: { $0 != 0 }) else { return false }
        return firstNonZero >= 2 && bytes[firstNonZero] == 1
    }

    private static func classify(_ units: [[UInt8]], codec: VideoCodecFamily) -> H26xParameterSets {
        var sets = H26xParameterSets()
        for unit in units {
            guard let first = unit.first else { continue }
            switch codec {
            case .h264:
                switch h264NALType(first) {
                case h264SPS: sets.sps.append(unit)
                case h264PPS: sets.pps.append(unit)
                default: break
                }
            case .h265:
                guard unit.count >= 2 else { continue }
                switch h265NALType(first) {
                case h265VPS: sets.vps.append(unit)
                case h265SPS: sets.sps.append(unit)
                case h265PPS: sets.pps.append(unit)
                default: break
                }
            }
        }
        return sets
    }

    /// NAL units of an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3).
    private static func avcCNALUnits(_ record: [UInt8]) throws -> [[UInt8]] {
        var cursor = ByteCursor(record)
        let version = try cursor.u8()
        guard version == 1 else {
            throw BitstreamError.invalid("avcC configurationVersion \(version), expected 1")
        }
        try cursor.skip(3)  // AVCProfileIndication, profile_compatibility, AVCLevelIndication
        _ = try cursor.u8()  // reserved (6) + lengthSizeMinusOne (2)
        var units: [[UInt8]] = []
        let spsCount = Int(try cursor.u8() & 0x1F)
        for _ in 0..<spsCount {
            units.append(try cursor.lengthPrefixed())
        }
        let ppsCount = Int(try cursor.u8())
        for _ in 0..<ppsCount {
            units.append(try cursor.lengthPrefixed())
        }
        // Any High-profile extension (chroma format, bit depths, SPS-ext) follows; not needed.
        return units
    }

    /// NAL units of an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3).
    private static func hvcCNALUnits(_ record: [UInt8]) throws -> [[UInt8]] {
        var cursor = ByteCursor(record)
        // configurationVersion (some early muxers wrote 0 — accepted, as FFmpeg does)
        // through constantFrameRate/numTemporalLayers/temporalIdNested/lengthSizeMinusOne: 22 bytes.
        try cursor.skip(22)
        let arrayCount = Int(try cursor.u8())
        var units: [[UInt8]] = []
        for _ in 0..<arrayCount {
            _ = try cursor.u8()  // array_completeness (1), reserved (1), NAL_unit_type (6)
            let nalCount = Int(try cursor.u16())
            for _ in 0..<nalCount {
                units.append(try cursor.lengthPrefixed())
            }
        }
        return units
    }
}

/// A bounds-checked big-endian byte cursor for configuration records.
private struct ByteCursor {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func u8() throws -> UInt8 {
        guard offset < bytes.count else { throw BitstreamError.truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws -> UInt16 {
        let high = try u8()
        let low = try u8()
        return UInt16(high) << 8 | UInt16(low)
    }

    mutating func skip(_ n: Int) throws {
        guard n <= bytes.count - offset else { throw BitstreamError.truncated }
        offset += n
    }

    /// A 16-bit length followed by that many bytes.
    mutating func lengthPrefixed() throws -> [UInt8] {
        let length = Int(try u16())
        guard length <= bytes.count - offset else { throw BitstreamError.truncated }
        defer { offset += length }
        return Array(bytes[offset..<(offset + length)])
    }
}

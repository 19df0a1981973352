// BitReader.swift — big-endian bit reader over RBSP bytes (H.264 / H.265 syntax).
//
// Every read is bounds-checked: malformed or truncated input makes the reader
// throw a `BitstreamError`; it never traps.

/// An error raised while parsing a bitstream.
public enum BitstreamError: Error, Sendable, Equatable {
    /// The data ended before the syntax element being read.
    case truncated
    /// The data is syntactically present but not valid (a message says why).
    case invalid(String)
}

/// Reads bits, most significant first, from raw byte sequence payload (RBSP)
/// bytes, i.e. NAL unit payload bytes with emulation-prevention bytes already
/// removed (see `NALUnits.removeEmulationPrevention(_:)`).
public struct BitReader: Sendable {
    private let bytes: [UInt8]
    /// The index of the next bit to read, counted from the first byte's most significant bit.
    public private(set) var bitPosition: Int = 0

    /// Creates a reader over `bytes`, starting at the first bit.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Creates a reader over `bytes`, starting at the first bit.
    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// The number of bits that remain to be read.
    public var bitsLeft: Int {
        bytes.count * 8 - bitPosition
    }

    /// Whether the next bit to read is the first bit of a byte.
    public var isByteAligned: Bool {
        bitPosition & 7 == 0
    }

    /// Reads one bit (`u(1)`) and returns it as 0 or 1.
    public mutating func readBit() throws -> UInt32 {
        guard bitPosition < bytes.count * 8 else { throw BitstreamError.truncated }
        let byte = bytes[bitPosition >> 3]
        let bit = (byte >> UInt8(7 - (bitPosition & 7))) & 1
        bitPosition += 1
        return UInt32(bit)
    }

    /// Reads one bit (`u(1)`) as a flag.
    public mutating func readFlag() throws -> Bool {
        try readBit() == 1
    }

    /// Reads `n` bits (`u(n)`), 0 ≤ n ≤ 32, most significant first.
    public mutating func readBits(_ n: Int) throws -> UInt32 {
        guard n >= 0, n <= 32 else {
            throw BitstreamError.invalid("cannot read \(n) bits at once (0...32 allowed)")
        }
        guard n <= bitsLeft else { throw BitstreamError.truncated }
        var value: UInt32 = 0
        var remaining = n
        while remaining > 0 {
            let byte = UInt32(bytes[bitPosition >> 3])
            let available = 8 - (bitPosition & 7)
            let take = min(available, remaining)
            let chunk = (byte >> UInt32(available - take)) & ((1 << UInt32(take)) - 1)
            value = (value << UInt32(take)) | chunk
            bitPosition += take
            remaining -= take
        }
        return value
    }

    /// Skips `n` bits (n ≥ 0).
    public mutating func skipBits(_ n: Int) throws {
        guard n >= 0 else { throw BitstreamError.invalid("cannot skip a negative number of bits (\(n))") }
        guard n <= bitsLeft else { throw BitstreamError.truncated }
        bitPosition += n
    }

    /// Reads an unsigned exp-Golomb code (`ue(v)`).
    ///
    /// Codes with more than 31 leading zero bits do not fit in 32 bits and are
    /// rejected as invalid.
    public mutating func readUE() throws -> UInt32 {
        var leadingZeros = 0
        while try readBit() == 0 {
            leadingZeros += 1
            if leadingZeros > 31 {
                throw BitstreamError.invalid("exp-Golomb code with more than 31 leading zero bits")
            }
        }
        if leadingZeros == 0 { return 0 }
        // 2^lz - 1 + suffix ≤ 2^32 - 2 for lz ≤ 31, so this cannot overflow.
        let suffix = try readBits(leadingZeros)
        return (UInt32(1) << UInt32(leadingZeros)) - 1 + suffix
    }

    /// Reads a signed exp-Golomb code (`se(v)`).
    public mutating func readSE() throws -> Int32 {
        let codeNum = try readUE()
        // codeNum ≤ 2^32 - 2, so both results fit in Int32.
        if codeNum & 1 == 1 {
            return Int32(truncatingIfNeeded: (codeNum >> 1) + 1)
        } else {
            return -Int32(truncatingIfNeeded: codeNum >> 1)
        }
    }

    /// Reads `ue(v)` and checks it against an inclusive upper bound.
    public mutating func readUE(max: UInt32, _ name: String) throws -> Int {
        let value = try readUE()
        guard value <= max else {
            throw BitstreamError.invalid("\(name) = \(value) exceeds \(max)")
        }
        return Int(value)
    }

    /// Reads `se(v)` and checks it against an inclusive range.
    public mutating func readSE(in range: ClosedRange<Int32>, _ name: String) throws -> Int {
        let value = try readSE()
        guard range.contains(value) else {
            throw BitstreamError.invalid("\(name) = \(value) outside \(range)")
        }
        return Int(value)
    }

    /// The H.264/H.265 `more_rbsp_data()` function: whether any syntax data
    /// remains before the RBSP trailing bits (the last `1` bit in the data and
    /// the zero bits after it).
    public func moreRBSPData() -> Bool {
        guard let lastIndex = bytes.lastIndex(where: { $0 != 0 }) else { return false }
        let stopBitPosition = lastIndex * 8 + 7 - bytes[lastIndex].trailingZeroBitCount
        return bitPosition < stopBitPosition
    }
}

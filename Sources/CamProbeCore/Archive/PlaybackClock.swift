import Foundation

/// The recorded time of a playback session, from what the recorder sends: an RTCP
/// sender report's NTP timestamp (RFC 3550 6.4.1: the wall-clock time of the media,
/// here the recording's) or PLAY's `Range: clock=` (RFC 2326 3.7, absolute UTC time).
public enum PlaybackClock {
    /// Seconds from 1900 (NTP) to 1970 (Unix).
    static let ntpEpoch = 2_208_988_800.0

    /// The NTP time of the sender report that starts `packet` (a compound RTCP
    /// packet); nil when it does not start with a valid SR.
    public static func senderReportTime(_ packet: some Collection<UInt8>) -> Date? {
        let bytes = Array(packet.prefix(16))
        // V=2, PT=200 (SR), and room for SSRC and the 64-bit NTP timestamp.
        guard bytes.count == 16, bytes[0] >> 6 == 2, bytes[1] == 200 else { return nil }
        let seconds = bytes[8..<12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let fraction = bytes[12..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard seconds > 0 else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(fraction) / 4_294_967_296 - ntpEpoch)
    }

    /// The start of `Range: clock=20240105T013000Z-` (fractions allowed: `T013000.25Z`);
    /// nil for any other range (`npt=…`) or a malformed one.
    public static func rangeStart(_ header: String) -> Date? {
        let value = header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard value.hasPrefix("clock="), value.count <= 80 else { return nil }
        let start = value.dropFirst(6).prefix { $0 != "-" }
        guard start.count >= 16, start.last == "Z" else { return nil }
        let digits = Array(start.dropLast())
        guard digits.count >= 15, digits[8] == "T" else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(digits[range])) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
            let minute = number(11..<13), let second = number(13..<15),
            let seconds = CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        let fraction = digits.count > 16 && digits[15] == "." ? Double("0" + String(digits[15...])) ?? 0 : 0
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

/// Video codec names as the policy compares and shows them.
enum CodecName {
    /// FFmpeg's name for `name`, so a profile may say `h265` or `H.264` and still
    /// match what the prober reports (`hevc`, `h264`).
    static func normalized(_ name: String) -> String {
        let lower = name.lowercased()
        switch lower {
        case "h265", "h.265", "hevc": return "hevc"
        case "h264", "h.264", "avc": return "h264"
        default: return lower
        }
    }

    /// The name operators know: `H.264`, `H.265`, `MJPEG`.
    static func display(_ name: String) -> String {
        switch normalized(name) {
        case "h264": "H.264"
        case "hevc": "H.265"
        case "mpeg4": "MPEG-4"
        case let other: other.uppercased()
        }
    }
}

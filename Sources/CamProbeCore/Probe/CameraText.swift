/// Text a camera supplied (a reason phrase, a `WWW-Authenticate` value, a
/// header, the first bytes of a non-RTSP answer), made fit for a message: cut
/// to `CameraLimits.cameraTextLength` characters, control characters (line
/// breaks, escapes, bidirectional overrides) replaced by spaces, and every
/// known secret replaced by `***`. Scrubbing comes first, so a secret cut in
/// half by the length limit cannot survive as a prefix.
public enum CameraText {
    public static func sanitized(_ text: some StringProtocol, secrets: CameraSecrets? = nil) -> String {
        // Bound the work on a huge input before anything else.
        var clipped = String(text.prefix(4 * CameraLimits.cameraTextLength))
        if let secrets { clipped = secrets.scrub(clipped) }
        var out = ""
        var count = 0
        for scalar in clipped.unicodeScalars {
            guard count < CameraLimits.cameraTextLength else {
                out += "…"
                break
            }
            out.unicodeScalars.append(isControl(scalar) ? " " : scalar)
            count += 1
        }
        return out.trimmingWhitespace()
    }

    /// C0 and C1 controls, DEL, and the Unicode format characters that reorder
    /// or hide text in a terminal or a chat (bidi overrides, zero-width marks).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}

import Foundation

/// A small JPEG of what a camera showed: the probe's latest decoded keyframe,
/// scaled down to at most ``maximumWidth`` pixels wide. Evidence for a report,
/// never an archive: the daemon keeps two per camera (the latest and the one at
/// its last state change) and serves them only over the status socket.
public struct Snapshot: Sendable, Equatable {
    /// Snapshots are at most this wide (the aspect ratio is kept).
    public static let maximumWidth = 320
    /// A snapshot larger than this is not kept: a 320×180 JPEG of a busy scene
    /// is 10–25 KB, so this bounds the state directory at ~64 KB × 2 per camera.
    public static let maximumBytes = 64 * 1024

    /// The JPEG file's bytes (baseline, 4:2:0, full range).
    public let jpeg: [UInt8]
    public let width: Int
    public let height: Int
    /// When the picture was taken (the probe's start).
    public let takenAt: Date

    /// Nil when the bytes are not a plausible JPEG of that size: not starting
    /// with SOI, empty dimensions, or more than ``maximumBytes``.
    public init?(jpeg: [UInt8], width: Int, height: Int, takenAt: Date) {
        guard jpeg.count >= 4, jpeg.count <= Self.maximumBytes, jpeg[0] == 0xFF, jpeg[1] == 0xD8,
              width > 0, width <= Self.maximumWidth, height > 0, height <= 4 * Self.maximumWidth else { return nil }
        self.jpeg = jpeg
        self.width = width
        self.height = height
        self.takenAt = takenAt
    }

    /// The size a picture of `width`×`height` is scaled to: at most
    /// ``maximumWidth`` wide, both sides even (4:2:0 chroma), aspect kept.
    public static func scaledSize(width: Int, height: Int) -> (width: Int, height: Int)? {
        guard width >= 2, height >= 2, width <= 1 << 15, height <= 1 << 15 else { return nil }
        let outWidth = min(width, maximumWidth) & ~1
        let outHeight = max(2, (height * outWidth / width) & ~1)
        return (outWidth, outHeight)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CamProbeCore
import Foundation

/// The snapshots of the cameras, as files in `<state dir>/snapshots/` (mode 0750,
/// files 0640: owner and group only — school cameras film children): for each
/// camera the latest picture (`ID.latest.jpg`) and the one at its last state
/// change (`ID.change.jpg`), the file's modification time being when it was
/// taken. At most two files per camera of at most ``Snapshot/maximumBytes``
/// each; ``prune(keeping:olderThan:)`` removes those of cameras no longer in the
/// inventory and those older than the history's retention.
///
/// Files, not database rows: a snapshot written at every probe would double the
/// WAL's traffic and need a checkpoint for nothing, and a torn write of a file
/// replaced by `rename(2)` cannot happen.
public final class SnapshotStore: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The latest picture a probe decoded.
        case latest
        /// The picture at the camera's last state change: the probe's own when it
        /// decoded one, else the latest before it (what the camera showed last).
        case change
    }

    public static let directoryName = "snapshots"
    public let directory: String

    /// `stateDirectory`'s `snapshots/` folder, created (0750) when missing.
    public init(stateDirectory: String) throws(StateStoreError) {
        let directory = (stateDirectory.hasSuffix("/") ? stateDirectory : stateDirectory + "/") + Self.directoryName
        do {
            try SystemCall.makeDirectories(directory)
        } catch {
            throw StateStoreError(code: .directoryUnusable, path: directory, reason: "cannot create it (\(error))")
        }
        // An older directory (or a umask) may have left it wider.
        chmod(directory, 0o750)
        self.directory = directory
    }

    /// Opens the folder only when it exists (a report reading a state directory
    /// must not create anything in it).
    public static func existing(stateDirectory: String) -> SnapshotStore? {
        let directory = (stateDirectory.hasSuffix("/") ? stateDirectory : stateDirectory + "/") + directoryName
        guard SystemCall.isDirectory(directory) else { return nil }
        return try? SnapshotStore(stateDirectory: stateDirectory)
    }

    /// Keeps `snapshot` as the camera's latest; with `stateChanged`, also as the
    /// one at its state change (without a snapshot, the latest becomes that one).
    public func save(_ snapshot: Snapshot?, camera: String, stateChanged: Bool) throws(StateStoreError) {
        if let snapshot {
            try write(snapshot.jpeg, takenAt: snapshot.takenAt, camera: camera, kind: .latest)
            if stateChanged { try write(snapshot.jpeg, takenAt: snapshot.takenAt, camera: camera, kind: .change) }
        } else if stateChanged, let latest = read(camera: camera, kind: .latest) {
            try write(latest.jpeg, takenAt: latest.takenAt, camera: camera, kind: .change)
        }
    }

    /// The stored picture; nil when there is none or the file is not a JPEG of
    /// at most ``Snapshot/maximumBytes`` (nothing larger is ever read).
    public func read(camera: String, kind: Kind) -> (jpeg: [UInt8], takenAt: Date)? {
        guard let path = path(camera: camera, kind: kind) else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              info.st_size >= 4, info.st_size <= Snapshot.maximumBytes else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count == bytes.count, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        let takenAt = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        return (bytes, takenAt)
    }

    /// Removes the snapshots of cameras not in `cameras`, those taken before
    /// `cutoff`, and temporary files a crash left. Returns how many files went.
    @discardableResult
    public func prune(keeping cameras: Set<String>, olderThan cutoff: Date) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let taken = Double(info.st_mtim.tv_sec)
            let camera = Self.camera(fromFileName: name)
            let stale = camera.map { !cameras.contains($0) } ?? true
            if stale || taken < cutoff.timeIntervalSince1970, unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    // MARK: Files

    private func write(_ jpeg: [UInt8], takenAt: Date, camera: String, kind: Kind) throws(StateStoreError) {
        guard jpeg.count <= Snapshot.maximumBytes, let path = path(camera: camera, kind: kind) else { return }
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard descriptor >= 0 else { throw Self.failure(temporary, errno) }
        let written = jpeg.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let writeError = written == jpeg.count ? 0 : (written < 0 ? errno : EIO)
        // The modification time is when the picture was taken.
        let seconds = takenAt.timeIntervalSince1970
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))]
        times.append(times[0])
        futimens(descriptor, times)
        // The umask may have narrowed the mode further; never widen it past 0640.
        fchmod(descriptor, 0o640)
        close(descriptor)
        guard writeError == 0 else {
            unlink(temporary)
            throw Self.failure(temporary, writeError)
        }
        guard rename(temporary, path) == 0 else {
            let error = errno
            unlink(temporary)
            throw Self.failure(path, error)
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> StateStoreError {
        StateStoreError(code: .writeFailed, path: path, reason: "cannot write the snapshot (\(SystemCall.Errno(code: code)))")
    }

    func path(camera: String, kind: Kind) -> String? {
        guard let name = Self.fileName(camera: camera) else { return nil }
        return directory + "/" + name + "." + kind.rawValue + ".jpg"
    }

    /// The camera id with every byte outside `A-Z a-z 0-9 _ -` written `%XX`, so
    /// no id can name a path outside the folder; nil when that is too long for a
    /// file name.
    static func fileName(camera: String) -> String? {
        var name = ""
        for byte in camera.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                name.append(Character(Unicode.Scalar(byte)))
            default:
                name += String(format: "%%%02X", byte)
            }
        }
        return name.isEmpty || name.utf8.count > 200 ? nil : name
    }

    /// The camera id a snapshot file belongs to; nil for any other file.
    static func camera(fromFileName name: String) -> String? {
        let suffixes = Kind.allCases.map { "." + $0.rawValue + ".jpg" }
        guard let suffix = suffixes.first(where: { name.hasSuffix($0) }) else { return nil }
        return String(name.dropLast(suffix.count)).removingPercentEncoding
    }
}

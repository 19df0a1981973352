#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CamProbeCore
import Foundation

extension SnapshotStore {
    /// A stored picture's size and when it was taken, from the file's metadata
    /// alone (a report over a region decides which pictures it can carry before
    /// reading any); nil when there is none or it is not a plausible snapshot.
    public func info(camera: String, kind: Kind) -> (bytes: Int, takenAt: Date)? {
        guard let path = path(camera: camera, kind: kind) else { return nil }
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              info.st_size >= 4, info.st_size <= Snapshot.maximumBytes else { return nil }
        let takenAt = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        return (Int(info.st_size), takenAt)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The configuration's only system calls: read a whole file, read its mode.
/// Failures carry the C library's reason (`No such file or directory`).
enum FileBytes {
    struct Failure: Error {
        let reason: String
    }

    static func contents(of path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(reason: reason(errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: reason(errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Permission bits (`st_mode & 0o7777`).
    static func mode(_ path: String) throws(Failure) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Failure(reason: reason(errno)) }
        return Int(info.st_mode) & 0o7777
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

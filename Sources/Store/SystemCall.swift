#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system calls the state store makes before SQLite opens the
/// file, each turning `errno` into an ``Errno`` whose description is the
/// system's own words ("Permission denied", "Read-only file system").
enum SystemCall {
    struct Errno: Error, CustomStringConvertible {
        var code: Int32
        var description: String { String(cString: strerror(code)) }
    }

    /// `mkdir -p`: creates `path` and its missing parents (mode 0750: the state
    /// holds camera addresses, redacted, but still not for everyone).
    static func makeDirectories(_ path: String) throws(Errno) {
        if mkdir(path, 0o750) == 0 { return }
        let error = errno
        switch error {
        case EEXIST:
            return
        case ENOENT:
            let parent = parentDirectory(of: path)
            guard !parent.isEmpty, parent != path else { throw Errno(code: error) }
            try makeDirectories(parent)
            if mkdir(path, 0o750) == 0 || errno == EEXIST { return }
            throw Errno(code: errno)
        default:
            throw Errno(code: error)
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// `access(2)`: nil when allowed, else why not.
    static func checkAccess(_ path: String, mode: Int32) -> Errno? {
        access(path, mode) == 0 ? nil : Errno(code: errno)
    }

    /// Opens `path` read-write (creating it, mode 0640, when `create`) and closes
    /// it again: nil when that worked, else why not.
    static func openForWriting(_ path: String, create: Bool) -> Errno? {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let descriptor = open(path, flags, 0o640)
        guard descriptor >= 0 else { return Errno(code: errno) }
        close(descriptor)
        return nil
    }

    private static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let parent = trimmed[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The status socket's file-system calls: what is at a path, remove it, set
/// its mode and group, look groups up. Every call goes through ``call(_:_:)``,
/// which turns `errno` into a ``SystemCallError``.
enum SocketFile {
    /// What a path names, with the identity that tells our socket from one
    /// created later by someone else.
    struct Entry: Equatable {
        var isSocket: Bool
        var device: UInt64
        var inode: UInt64
        var groupID: UInt32
        var mode: Int
    }

    /// `sun_path` holds 108 bytes on Linux (104 on the BSDs), the terminating
    /// NUL included.
    static let maxPathBytes = 107

    /// Nil when nothing is at `path`. Does not follow a symbolic link.
    static func entry(_ path: String) throws(SystemCallError) -> Entry? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw SystemCallError("lstat", errno: errno)
        }
        return Entry(
            isSocket: (info.st_mode & S_IFMT) == S_IFSOCK, device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
            groupID: UInt32(info.st_gid), mode: Int(info.st_mode) & 0o7777)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func remove(_ path: String) throws(SystemCallError) {
        try call("unlink") { unlink(path) }
    }

    static func setMode(_ path: String, _ mode: Int) throws(SystemCallError) {
        try call("chmod") { chmod(path, mode_t(mode)) }
    }

    /// `chown(path, -1, gid)`: the owner stays, the group changes. An
    /// unprivileged process may only give a file to a group it belongs to.
    static func setGroup(_ path: String, _ groupID: UInt32) throws(SystemCallError) {
        try call("chown") { chown(path, uid_t.max, gid_t(groupID)) }
    }

    /// Nil when no group has that name.
    static func groupID(named name: String) throws(SystemCallError) -> UInt32? {
        try GroupLookup.find { entry, buffer, result in getgrnam_r(name, &entry, buffer.baseAddress, buffer.count, &result) }?.gid
    }

    /// Nil when no group has that id.
    static func groupName(id: UInt32) -> String? {
        (try? GroupLookup.find { entry, buffer, result in
            getgrgid_r(gid_t(id), &entry, buffer.baseAddress, buffer.count, &result)
        })??.name
    }

    private static func call(_ name: String, _ body: () -> Int32) throws(SystemCallError) {
        while body() != 0 {
            if errno == EINTR { continue }
            throw SystemCallError(name, errno: errno)
        }
    }
}

/// The reentrant group-database calls (`getgrnam_r`, `getgrgid_r`) write the
/// entry's strings into a caller's buffer and answer `ERANGE` when it is too
/// small; this type owns that buffer and the retry, so no pointer leaves it.
private enum GroupLookup {
    struct Found {
        var name: String
        var gid: UInt32
    }

    typealias Call = (inout group, UnsafeMutableBufferPointer<CChar>, inout UnsafeMutablePointer<group>?) -> Int32

    static func find(_ call: Call) throws(SystemCallError) -> Found? {
        var size = 1024
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            // The entry's strings point into `buffer`: read them inside the closure.
            let (code, found) = buffer.withUnsafeMutableBufferPointer { buffer -> (Int32, Found?) in
                var entry = group()
                var result: UnsafeMutablePointer<group>?
                let code = call(&entry, buffer, &result)
                guard code == 0, result != nil else { return (code, nil) }
                return (0, Found(name: String(cString: entry.gr_name), gid: UInt32(entry.gr_gid)))
            }
            if code == ERANGE, size < 1 << 20 {
                size *= 4
                continue
            }
            // "If no matching group record was found, these functions return 0 and
            // store NULL in *result" (getgrnam_r(3)); some NSS modules answer ENOENT.
            if code == 0 || code == ENOENT { return found }
            throw SystemCallError("getgrnam_r", errno: code)
        }
    }
}

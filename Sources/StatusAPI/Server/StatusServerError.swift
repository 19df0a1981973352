#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the status socket could not be set up: one line an operator can act on.
public enum StatusServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done to the socket file when a system call failed.
    public enum Action: Sendable, Equatable {
        case check
        case removeStale
        case setMode(Int)
        case setGroup(String)
    }

    /// Another process accepted a connection on the socket.
    case socketInUse(path: String)
    /// Something other than a socket is at the path; it is left alone.
    case notASocket(path: String)
    case pathTooLong(path: String, bytes: Int)
    case directoryMissing(directory: String)
    case unknownGroup(name: String)
    case socketFile(path: String, action: Action, error: SystemCallError)

    /// Stable, for logs and tests.
    public var code: String {
        switch self {
        case .socketInUse: "socket_in_use"
        case .notASocket: "not_a_socket"
        case .pathTooLong: "path_too_long"
        case .directoryMissing: "directory_missing"
        case .unknownGroup: "unknown_group"
        case .socketFile: "socket_file"
        }
    }

    public var description: String {
        switch self {
        case .socketInUse(let path):
            return "another daemon answers on \(path): stop it first, or give this one another status socket path"
        case .notASocket(let path):
            return "\(path) exists and is not a socket: refusing to replace it"
        case .pathTooLong(let path, let bytes):
            return "status socket path \(path) is \(bytes) bytes long; a Unix socket path may have at most "
                + "\(SocketFile.maxPathBytes)"
        case .directoryMissing(let directory):
            return "directory \(directory) for the status socket does not exist "
                + "(under systemd, RuntimeDirectory=camprobe creates /run/camprobe)"
        case .unknownGroup(let name):
            return "group '\(name)' for the status socket does not exist (create it with groupadd, or name another group)"
        case .socketFile(let path, .check, let error):
            return "cannot check whether another daemon answers on \(path): \(error.reason)"
        case .socketFile(let path, .removeStale, let error):
            return "cannot remove the stale status socket \(path): \(error.reason)"
        case .socketFile(let path, .setMode(let mode), let error):
            return "cannot set mode \(String(mode, radix: 8)) on \(path): \(error.reason)"
        case .socketFile(let path, .setGroup(let group), let error):
            let hint = error.errno == EPERM ? " (the daemon must run as root or be a member of '\(group)')" : ""
            return "cannot give \(path) to group '\(group)': \(error.reason)\(hint)"
        }
    }
}

/// Why `camprobe status` got no answer, or what the daemon answered instead:
/// one line an operator can act on.
public enum StatusClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing at the socket path: the daemon is not running, or uses another path.
    case socketMissing(path: String)
    /// The socket's mode keeps us out; `group` is the socket's group, when known.
    case permissionDenied(path: String, group: String?)
    /// A socket file nobody listens on: the daemon died without removing it.
    case refused(path: String)
    case notASocket(path: String)
    case cannotConnect(path: String, reason: String)
    /// `phase` is `connect` or `answer`.
    case timeout(path: String, phase: String, seconds: Double)
    /// The daemon answered with an error.
    case server(status: Int, code: String, message: String, problems: [String])
    /// Something answered that is not the status API.
    case invalidResponse(path: String, detail: String)

    /// Stable, for scripts and tests.
    public var code: String {
        switch self {
        case .socketMissing: "socket_missing"
        case .permissionDenied: "permission_denied"
        case .refused: "refused"
        case .notASocket: "not_a_socket"
        case .cannotConnect: "cannot_connect"
        case .timeout: "timeout"
        case .server(_, let code, _, _): code
        case .invalidResponse: "invalid_response"
        }
    }

    public var description: String {
        switch self {
        case .socketMissing(let path):
            return "cannot connect to \(path): no such file (is camprobe running?)"
        case .permissionDenied(let path, let group?):
            return "cannot connect to \(path): permission denied (the socket is for group '\(group)': "
                + "add your user to it with `sudo usermod -aG \(group) $USER` and log in again, or use sudo)"
        case .permissionDenied(let path, nil):
            return "cannot connect to \(path): permission denied (run as a member of the socket's group, or use sudo)"
        case .refused(let path):
            return "cannot connect to \(path): connection refused (a stale socket: camprobe is not running)"
        case .notASocket(let path):
            return "cannot connect to \(path): not a socket (is this the status socket path?)"
        case .cannotConnect(let path, let reason):
            return "cannot connect to \(path): \(reason)"
        case .timeout(let path, "connect", let seconds):
            return "cannot connect to \(path): no answer within \(Self.format(seconds)) s (is camprobe overloaded?)"
        case .timeout(let path, _, let seconds):
            return "camprobe on \(path) did not answer within \(Self.format(seconds)) s"
        case .server(let status, let code, let message, _):
            return "camprobe answered \(status) \(code): \(message)"
        case .invalidResponse(let path, let detail):
            return "unexpected answer on \(path): \(detail)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

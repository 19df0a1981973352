import Glibc
import CamProbeCore

/// The TCP connect of a probe, with its own deadline. The native RTSP client
/// talks on the socket it returns; before FFmpeg opens a stream itself, it is
/// a preflight: FFmpeg reports a connect that was cut off and a handshake that
/// hung alike (AVERROR_EXIT), so this is what tells "nothing answers on the
/// port" from "the camera accepted the connection and never spoke RTSP".
enum TCPPreflight {
    /// Connects to the first address that accepts, within the deadline. The
    /// socket is non-blocking and closes when the value is released.
    static func connect(to addresses: [SocketAddress], hostLabel: String, deadline: Double) throws(ProbeFailure) -> TCPSocket {
        var lastFailure = ProbeFailure(.unreachable, phase: .connect, "\(hostLabel): no address to connect to")
        for address in addresses {
            do throws(ProbeFailure) {
                return try attempt(address, hostLabel: hostLabel, deadline: deadline)
            } catch {
                lastFailure = error
                if error.code == .timeout { break }
            }
        }
        throw lastFailure
    }

    private static func attempt(_ address: SocketAddress, hostLabel: String, deadline: Double) throws(ProbeFailure) -> TCPSocket {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw ProbeFailure(.unreachable, phase: .connect, "\(hostLabel): cannot create socket: \(String(cString: strerror(errno)))")
        }
        let owned = TCPSocket(fd: fd, address: address)
        let status = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if status == 0 { return owned }
        guard errno == EINPROGRESS else { throw failure(errno, hostLabel) }
        while true {
            let remaining = deadline - MonotonicClock.now()
            if remaining <= 0 {
                throw ProbeFailure(.timeout, phase: .connect, "\(hostLabel): TCP connect got no answer in time")
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(remaining * 1000, 1000).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
            if soError == 0 { return owned }
            throw failure(soError, hostLabel)
        }
    }

    private static func failure(_ code: Int32, _ hostLabel: String) -> ProbeFailure {
        let reason = String(cString: strerror(code))
        switch code {
        case ECONNREFUSED:
            return ProbeFailure(.refused, phase: .connect, "\(hostLabel): connection refused (nothing listens on the port)")
        case ETIMEDOUT:
            return ProbeFailure(.timeout, phase: .connect, "\(hostLabel): TCP connect timed out")
        default:
            return ProbeFailure(.unreachable, phase: .connect, "\(hostLabel): \(reason.lowercased())")
        }
    }
}

/// A connected, non-blocking TCP socket; closed when released.
final class TCPSocket {
    private(set) var fd: Int32
    let address: SocketAddress

    init(fd: Int32, address: SocketAddress) {
        self.fd = fd
        self.address = address
    }

    deinit { close() }

    /// Closes the socket now (idempotent): a preflight connection must not stay
    /// open beside the one FFmpeg makes.
    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }
}

import Glibc
import Foundation
import CamProbeCore

/// Name resolution with a deadline. `getaddrinfo` blocks and honours no
/// interrupt callback, so it runs on a thread of its own; when the deadline
/// passes the probe moves on and the thread finishes (and is discarded) later.
enum HostResolver {
    /// Numeric addresses come back untouched without a lookup.
    static func resolve(host: String, port: Int, deadline: Double) throws(ProbeFailure) -> [SocketAddress] {
        if let numeric = SocketAddress(numeric: host, port: port) { return [numeric] }
        final class Box: @unchecked Sendable {
            let done = DispatchSemaphore(value: 0)
            var result: Result<[SocketAddress], ProbeFailure> = .failure(ProbeFailure(.dns, "no answer"))
        }
        let box = Box()
        let thread = Thread {
            box.result = lookup(host: host, port: port)
            box.done.signal()
        }
        thread.stackSize = 256 * 1024
        thread.start()
        let remaining = max(0, deadline - MonotonicClock.now())
        if box.done.wait(timeout: .now() + remaining) == .timedOut {
            throw ProbeFailure(.timeout, phase: .resolve, "name resolution of \(host) took longer than \(formatSeconds(remaining))")
        }
        return try box.result.get()
    }

    private static func lookup(host: String, port: Int) -> Result<[SocketAddress], ProbeFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            let reason = String(cString: gai_strerror(status))
            return .failure(ProbeFailure(.dns, "cannot resolve host \(host): \(reason)"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = list
        while let entry = cursor {
            if let address = SocketAddress(entry.pointee.ai_addr, length: entry.pointee.ai_addrlen) {
                addresses.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        if addresses.isEmpty {
            return .failure(ProbeFailure(.dns, "host \(host) has no address"))
        }
        return .success(addresses)
    }
}

func formatSeconds(_ seconds: Double) -> String {
    String(format: "%.1f s", seconds)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Whether a process answers on an existing socket file: a connect that
/// succeeds means a live daemon; `ECONNREFUSED` means nobody listens (the file
/// outlived its daemon).
enum SocketProbe {
    enum Result: Equatable {
        case answers
        case stale
        case failed(SystemCallError)
    }

    /// A live daemon accepts at once; the bound only guards against one that
    /// hangs, which counts as answering (its backlog is there).
    static func check(path: String, eventLoopGroup: any EventLoopGroup, timeout: TimeAmount = .seconds(1)) async -> Result {
        do {
            let channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(timeout)
                .connect(unixDomainSocketPath: path)
                .get()
            try? await channel.close()
            return .answers
        } catch let error as IOError {
            switch error.errnoCode {
            case ECONNREFUSED, ENOENT: return .stale
            case EAGAIN: return .answers  // listening, backlog full
            default: return .failed(SystemCallError("connect", errno: error.errnoCode))
            }
        } catch ChannelError.connectTimeout {
            return .answers
        } catch {
            return .failed(SystemCallError("connect", errno: EIO))
        }
    }
}

import Foundation
import NIOCore
import NIOPosix
import StatusAPI
import Testing

/// What the client says when it gets no answer: one line naming the socket and
/// what to do.
struct StatusClientErrorTests {
    @Test func send_whenSocketMissing_saysNoSuchFileIsCamprobeRunning() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/status.sock"
        let error = await #expect(throws: StatusClientError.self) {
            try await StatusClient(socketPath: path).health()
        }
        #expect(error == .socketMissing(path: path))
        #expect(error?.description == "cannot connect to \(path): no such file (is camprobe running?)")
    }

    @Test func send_whenSocketIsStale_saysConnectionRefused() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/status.sock"
        try await StaleSocket.create(at: path)
        let error = await #expect(throws: StatusClientError.self) {
            try await StatusClient(socketPath: path).health()
        }
        #expect(error == .refused(path: path))
        #expect(error?.description == "cannot connect to \(path): connection refused (a stale socket: camprobe is not running)")
    }

    @Test func send_whenPathIsARegularFile_saysNotASocket() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/status.sock"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let error = await #expect(throws: StatusClientError.self) {
            try await StatusClient(socketPath: path).health()
        }
        #expect(error == .notASocket(path: path))
    }

    @Test func send_whenDaemonNeverAnswers_timesOutAtTheDeadline() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/status.sock"
        // Accepts connections, reads nothing, answers nothing: a hung daemon.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .bind(unixDomainSocketPath: path).get()
        let started = ContinuousClock.now
        let error = await #expect(throws: StatusClientError.self) {
            try await StatusClient(socketPath: path, requestTimeout: .milliseconds(500)).health()
        }
        let elapsed = ContinuousClock.now - started
        try await listener.close()
        #expect(error == .timeout(path: path, phase: "answer", seconds: 0.5))
        #expect(error?.description == "camprobe on \(path) did not answer within 0.5 s")
        #expect(elapsed >= .milliseconds(500))
        // Bounded, not hanging; generous, because a loaded 2-core machine is slow.
        #expect(elapsed < .seconds(15))
    }

    @Test func permissionDenied_namesTheSocketsGroup() {
        let error = StatusClientError.permissionDenied(path: "/run/camprobe/status.sock", group: "camprobe")
        #expect(error.description == "cannot connect to /run/camprobe/status.sock: permission denied (the socket is for group 'camprobe': add your user to it with `sudo usermod -aG camprobe $USER` and log in again, or use sudo)")
    }

    /// Root connects whatever the mode; only an unprivileged run can see EACCES.
    @Test(.enabled(if: getuid() != 0)) func send_whenModeKeepsUsOut_saysPermissionDeniedWithGroup() async throws {
        try await withServer { server in
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: server.socketPath)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: server.socketPath)
            let error = await #expect(throws: StatusClientError.self) { try await server.client.health() }
            guard case .permissionDenied(let path, let group)? = error else {
                Issue.record("expected permission denied, got \(String(describing: error))")
                return
            }
            #expect(path == server.socketPath)
            #expect(group == SocketFileTests.groupName(getegid()))
        }
    }
}

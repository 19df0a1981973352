import Foundation
import Logging
import StatusAPI
import Testing

/// The socket file: its mode and group, a stale one replaced, a live one or a
/// non-socket refused, removed on shutdown.
struct SocketFileTests {
    @Test func socket_afterStart_hasMode0660() async throws {
        try await withServer { server in
            let attributes = try FileManager.default.attributesOfItem(atPath: server.socketPath)
            #expect((attributes[.posixPermissions] as? Int) == 0o660)
            #expect(attributes[.type] as? FileAttributeType == .typeSocket)
        }
    }

    @Test func socket_withGroup_isGivenThatGroup() async throws {
        // A group the test process belongs to: no privilege needed.
        let group = try #require(Self.groupName(getegid()))
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await StatusServerHarness.start(source: InMemoryStatusSource(), directory: directory, group: group)
        let attributes = try FileManager.default.attributesOfItem(atPath: server.socketPath)
        await server.stop()
        #expect(attributes[.groupOwnerAccountName] as? String == group)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
    }

    @Test func start_withUnknownGroup_failsBeforeBinding() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = await #expect(throws: StatusServerError.self) {
            try await StatusServerHarness.start(source: InMemoryStatusSource(), directory: directory, group: "no-such-group-camprobe")
        }
        #expect(error == .unknownGroup(name: "no-such-group-camprobe"))
        #expect(error?.description == "group 'no-such-group-camprobe' for the status socket does not exist (create it with groupadd, or name another group)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/status.sock"))
    }

    @Test func stop_removesTheSocketFile() async throws {
        let server = try await StatusServerHarness.start()
        defer { try? FileManager.default.removeItem(atPath: server.directory) }
        #expect(FileManager.default.fileExists(atPath: server.socketPath))
        #expect(await server.stop() == nil)
        #expect(!FileManager.default.fileExists(atPath: server.socketPath))
    }

    @Test func start_overStaleSocket_replacesIt() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await StaleSocket.create(at: directory + "/status.sock")
        #expect(FileManager.default.fileExists(atPath: directory + "/status.sock"))
        let server = try await StatusServerHarness.start(source: InMemoryStatusSource(), directory: directory)
        #expect(try await server.client.health().status == "ok")
        await server.stop()
    }

    @Test func start_whileAnotherDaemonAnswers_refusesAndLeavesItServing() async throws {
        try await withServer { first in
            let error = await #expect(throws: StatusServerError.self) {
                try await StatusServerHarness.start(source: InMemoryStatusSource(), directory: first.directory)
            }
            #expect(error == .socketInUse(path: first.socketPath))
            #expect(error?.description == "another daemon answers on \(first.socketPath): stop it first, or give this one another status socket path")
            let health = try await first.client.health()
            #expect(health.status == "ok")
        }
    }

    @Test func start_overRegularFile_refusesAndLeavesTheFile() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/status.sock"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8)))
        let error = await #expect(throws: StatusServerError.self) {
            try await StatusServerHarness.start(source: InMemoryStatusSource(), directory: directory)
        }
        #expect(error == .notASocket(path: path))
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
    }

    @Test func start_inMissingDirectory_namesTheDirectory() async throws {
        let error = await #expect(throws: StatusServerError.self) {
            try await StatusServerHarness.start(source: InMemoryStatusSource(), directory: "/tmp/camprobe-no-such-dir-4711")
        }
        #expect(error == .directoryMissing(directory: "/tmp/camprobe-no-such-dir-4711"))
    }

    @Test func start_withTooLongPath_saysSo() async throws {
        let directory = "/tmp/" + String(repeating: "d", count: 100)
        let error = await #expect(throws: StatusServerError.self) {
            try await StatusServerHarness.start(source: InMemoryStatusSource(), directory: directory)
        }
        #expect(error == .pathTooLong(path: directory + "/status.sock", bytes: 117))
    }

    static func groupName(_ id: gid_t) -> String? {
        guard let entry = getgrgid(id) else { return nil }
        return String(cString: entry.pointee.gr_name)
    }
}

/// A socket file nobody listens on, as a killed daemon leaves it: bound and
/// never listened on (NIO removes the file when it closes a listener, a killed
/// process does not).
enum StaleSocket {
    static func create(at path: String) async throws {
        let run = try await ProcessRun.run(
            "/usr/bin/python3", ["-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path])
        guard run.status == 0 else { throw Failed(message: run.stderr) }
    }

    struct Failed: Error { let message: String }
}

import Foundation
import Glibc

/// `camprobe` run as a child process and reaped with `wait4`, which hands back
/// the child's own resource usage: its peak resident memory (`ru_maxrss`) is a
/// real per-probe memory figure, and a crash (SIGILL from a trap, SIGSEGV)
/// shows as a signal instead of taking the test runner down with it.
struct ProbeProcess {
    struct Result {
        /// Exit status, when it exited.
        let exitStatus: Int32?
        /// The signal that ended it, when one did.
        let signal: Int32?
        let seconds: Double
        /// Peak resident set size, bytes.
        let peakMemory: Int
        let stdout: String
        let stderr: String
        /// Whether the watchdog had to kill it.
        let killed: Bool
    }

    /// Runs `executable` with `arguments`, stdin from /dev/null; SIGKILLed after
    /// `timeout` seconds.
    static func run(_ executable: URL, _ arguments: [String], timeout: Double) throws -> Result {
        var stdoutPipe: [Int32] = [0, 0]
        var stderrPipe: [Int32] = [0, 0]
        guard pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else { throw FleetError("pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        for fd in stdoutPipe + stderrPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = Date()
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard spawned == 0 else {
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw FleetError("cannot start \(executable.path): \(String(cString: strerror(spawned)))")
        }
        let output = Reader(stdoutPipe[0])
        let errors = Reader(stderrPipe[0])
        // The watchdog: a probe that outlives every bound is killed, and says so.
        let finished = DispatchSemaphore(value: 0)
        final class Flag: @unchecked Sendable { var killed = false }
        let flag = Flag()
        let child = pid
        let watchdog = Thread {
            if finished.wait(timeout: .now() + timeout) == .timedOut {
                flag.killed = true
                kill(child, SIGKILL)
            }
        }
        watchdog.start()
        // The peak resident memory of the child's own address space. wait4's ru_maxrss
        // cannot be used: posix_spawn runs the child on the parent's memory until exec
        // (CLONE_VM|CLONE_VFORK), and Linux records that memory's high-water mark, the
        // whole test process's, as the child's. VmHWM of /proc/PID/status is the new
        // address space's high-water mark; it only grows, so sampling it every few
        // milliseconds until the child exits misses at most the growth of its last few.
        final class Peak: @unchecked Sendable {
            let lock = NSLock()
            var bytes = 0
            var done = false
        }
        let peak = Peak()
        let sampler = Thread {
            while true {
                peak.lock.lock()
                let done = peak.done
                peak.lock.unlock()
                if done { return }
                if let hwm = Self.highWaterMark(of: child) {
                    peak.lock.lock()
                    peak.bytes = max(peak.bytes, hwm)
                    peak.lock.unlock()
                }
                usleep(5_000)
            }
        }
        sampler.start()
        // Reap only after the last sample: a zombie has no address space to read.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
        peak.lock.lock()
        peak.done = true
        peak.lock.unlock()
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        let seconds = Date().timeIntervalSince(started)
        finished.signal()
        peak.lock.lock()
        let sampledPeak = peak.bytes
        peak.lock.unlock()
        let signal = status & 0x7F
        return Result(
            exitStatus: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal,
            seconds: seconds, peakMemory: sampledPeak > 0 ? sampledPeak : Int(usage.ru_maxrss) * 1024,
            stdout: output.text(), stderr: errors.text(), killed: flag.killed)
    }

    /// VmHWM of a running process, in bytes; `nil` once it is gone or a zombie.
    static func highWaterMark(of pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return nil }
        return kib * 1024
    }

    /// Drains a pipe on its own thread, so a chatty child never blocks on it.
    private final class Reader: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ fd: Int32) {
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            Thread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }.start()
        }

        func text() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }
}

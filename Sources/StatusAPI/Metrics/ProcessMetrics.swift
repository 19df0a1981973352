#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The process's own figures, read from `/proc/self` at scrape time under the
/// names every Prometheus client uses (`process_*`). Where `/proc` is absent
/// (not Linux) the series are left out.
public struct ProcessMetrics: Sendable, Equatable {
    public var cpuSeconds: Double
    public var residentMemoryBytes: Double
    public var virtualMemoryBytes: Double
    public var openFDs: Int
    public var maxFDs: Int?
    public var startTimeSeconds: Double

    /// Reads the running process; nil without `/proc`.
    public static func read() -> ProcessMetrics? {
        guard let stat = text("/proc/self/stat"), let systemStat = text("/proc/stat"),
            let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        else { return nil }
        var limit = rlimit()
        let maxFDs = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max  // RLIM_INFINITY
            ? Int(limit.rlim_cur) : nil
        // The listing itself held one descriptor on the directory.
        return parse(
            stat: stat, systemStat: systemStat, openFDs: max(fds.count - 1, 0), maxFDs: maxFDs,
            ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))), pageSize: Double(sysconf(Int32(_SC_PAGESIZE))))
    }

    /// `/proc/self/stat` (proc(5)): fields after the command name, which is in
    /// parentheses and may itself hold spaces and parentheses, so it is skipped
    /// up to the last `)`. Field 14 utime, 15 stime (clock ticks), 22 starttime
    /// (ticks after boot), 23 vsize (bytes), 24 rss (pages). Boot time is
    /// `btime` in `/proc/stat`.
    static func parse(
        stat: String, systemStat: String, openFDs: Int, maxFDs: Int?, ticksPerSecond: Double, pageSize: Double
    ) -> ProcessMetrics? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // Fields from 3 (state) on.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        guard let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23),
            let rss = field(24), ticksPerSecond > 0,
            let btimeLine = systemStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let bootTime = Double(btimeLine.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return ProcessMetrics(
            cpuSeconds: (utime + stime) / ticksPerSecond, residentMemoryBytes: rss * pageSize,
            virtualMemoryBytes: vsize, openFDs: openFDs, maxFDs: maxFDs, startTimeSeconds: bootTime + start / ticksPerSecond)
    }

    /// The Prometheus text exposition of these figures.
    public func emit(into buffer: inout [UInt8]) {
        var text = ""
        func add(_ name: String, _ type: String, _ help: String, _ value: Double) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(Self.format(value))\n"
        }
        add("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", cpuSeconds)
        add("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", residentMemoryBytes)
        add("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtualMemoryBytes)
        add("process_open_fds", "gauge", "Number of open file descriptors.", Double(openFDs))
        if let maxFDs { add("process_max_fds", "gauge", "Maximum number of open file descriptors.", Double(maxFDs)) }
        add(
            "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
            startTimeSeconds)
        buffer.append(contentsOf: text.utf8)
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func text(_ path: String) -> String? {
        // /proc files report size 0: read to the end rather than by size.
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

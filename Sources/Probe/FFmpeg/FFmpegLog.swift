internal import CFFmpeg
import Foundation
import Glibc
import Synchronization

/// Routes FFmpeg's log lines to the probe that caused them.
///
/// `av_log_set_callback` is process-wide, so one sink is installed once. Every
/// FFmpeg call of a probe runs on that probe's thread (demuxing has no threads of
/// its own and the decoder is opened with one thread), so lines are collected
/// per thread. Nothing is printed: the lines explain failures (an RTSP status
/// such as "method DESCRIBE failed: 454 Session Not Found") and are redacted
/// before they leave the probe.
enum FFmpegLog {
    private static let collectors = Mutex<[UInt: [String]]>([:])

    static let installed: Void = {
        cp_install_log_sink({ _, _, line in
            guard let line else { return }
            FFmpegLog.record(String(cString: line))
        }, AV_LOG_WARNING)
    }()

    /// Starts collecting lines logged on the calling thread.
    static func beginCapture() {
        _ = installed
        let me = UInt(pthread_self())
        collectors.withLock { $0[me] = [] }
    }

    /// Stops collecting and returns what the calling thread logged.
    static func endCapture() -> [String] {
        let me = UInt(pthread_self())
        return collectors.withLock { $0.removeValue(forKey: me) ?? [] }
    }

    /// What the calling thread logged so far.
    static func captured() -> [String] {
        let me = UInt(pthread_self())
        return collectors.withLock { $0[me] ?? [] }
    }

    private static func record(_ line: String) {
        let me = UInt(pthread_self())
        collectors.withLock { table in
            guard table[me] != nil else { return }
            // A hostile stream can log on every packet: keep the first lines, which
            // say why it failed.
            if table[me]!.count < 64 {
                table[me]!.append(line.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }
}

/// An FFmpeg error code and its text.
struct AVErrorCode: Equatable {
    let code: Int32

    var text: String {
        var buffer = [CChar](repeating: 0, count: 256)
        cp_strerror(code, &buffer, buffer.count)
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static let eof = AVErrorCode(code: cp_averror_eof())
    static let exit = AVErrorCode(code: cp_averror_exit())
    static let again = AVErrorCode(code: cp_averror_eagain())
    static func posix(_ errno: Int32) -> AVErrorCode { AVErrorCode(code: cp_averror(errno)) }
}

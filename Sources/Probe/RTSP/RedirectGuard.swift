internal import CFFmpeg
import CamProbeCore
import Glibc

/// Holds FFmpeg's RTSP reader to `RedirectPolicy`. FFmpeg follows a 3xx by
/// itself, as often as it is sent, and keeps the credentials it had for the
/// new host (`rt->auth` survives its `goto redirect`): left alone, it hands the
/// camera's Basic credentials to whatever host `Location` names.
///
/// There is no option to stop it, but there is a contract to stand on: FFmpeg
/// replaces the context's `url` with the `Location` before it reconnects, and
/// every read and write of its protocol layer checks the interrupt callback
/// first (`retry_transfer_wrapper`: "if (ff_check_interrupt(...)) return
/// AVERROR_EXIT"). So the callback sees the new URL before a byte goes to the
/// new host, and stops the reader there when the policy refuses it.
final class RedirectGuard {
    private let policy: RedirectPolicy
    private let interrupt: InterruptState
    /// Where the reader is now, and how many redirects this probe followed.
    private var current: StreamURL
    private var followed: Int
    /// The context's URL as last seen, NUL-terminated.
    private var lastURL: [CChar] = []

    init(policy: RedirectPolicy, current: StreamURL, followed: Int, interrupt: InterruptState) {
        self.policy = policy
        self.current = current
        self.followed = followed
        self.interrupt = interrupt
    }

    /// Called from the interrupt callback with the context's current URL; true
    /// when the reader must stop. A string compare per call: the callback runs
    /// per read, so it stays cheap.
    func shouldInterrupt(url: UnsafePointer<CChar>?) -> Bool {
        guard let url else { return false }
        if !lastURL.isEmpty, strcmp(url, lastURL) == 0 { return false }
        let first = lastURL.isEmpty
        lastURL = Array(UnsafeBufferPointer(start: url, count: strlen(url) + 1))
        // The first URL seen is the one the reader was opened with.
        guard !first else { return false }
        switch policy.decide(status: nil, location: String(cString: url), from: current, followed: followed) {
        case .follow(let next):
            current = next
            followed += 1
            return false
        case .refuse(let failure):
            interrupt.abort(failure)
            return true
        }
    }
}

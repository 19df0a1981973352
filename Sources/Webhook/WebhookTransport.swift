internal import CCurl
import Foundation

/// Delivers webhook POSTs through one libcurl multi handle: a batch runs up to
/// `settings.maxConcurrent` transfers at once on the calling thread.
///
/// `send(_:)` blocks until every request in the batch has an outcome; each
/// transfer is bounded by `totalTimeout` from the moment it starts, so a batch
/// of n takes at most ⌈n / maxConcurrent⌉ × totalTimeout. Call it from a thread
/// of your own, or use the `async` overload, which runs it on a new thread (never
/// on the Swift cooperative pool, where a blocking poll would starve other tasks).
///
/// Concurrent `send` calls are serialised: curl's multi handle is not
/// thread-safe, and one handle keeps its connection cache (keep-alive to the
/// same receiver) across batches.
public final class WebhookTransport: @unchecked Sendable {
    public let settings: WebhookTransportSettings
    // @unchecked: `multi` is used only under `lock`; `settings` is immutable.
    private let lock = NSLock()
    /// The CURLM * (curl.h: `typedef void CURLM`).
    private let multi: UnsafeMutableRawPointer

    public init(settings: WebhookTransportSettings = WebhookTransportSettings()) throws {
        guard CurlGlobal.initialized else {
            throw WebhookError(kind: .transport, redactedURL: "(none)", detail: "curl_global_init failed")
        }
        guard let multi = curl_multi_init() else {
            throw WebhookError(kind: .transport, redactedURL: "(none)", detail: "curl_multi_init failed (out of memory)")
        }
        self.settings = settings
        self.multi = multi
        // Idle connections kept for reuse: one per slot is enough for a few receivers.
        _ = camprobe_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(settings.maxConcurrent, 4))
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Delivers `requests`; the results are in the same order. Blocks.
    public func send(_ requests: [WebhookRequest]) -> [WebhookResult] {
        lock.lock()
        defer { lock.unlock() }
        return run(requests)
    }

    /// Delivers `requests` on a dedicated thread and resumes with the results.
    /// Cancelling the task does not cut transfers short; the timeouts bound them.
    public func send(_ requests: [WebhookRequest]) async -> [WebhookResult] {
        await withCheckedContinuation { continuation in
            let thread = Thread { [self] in
                let results: [WebhookResult] = self.send(requests)
                continuation.resume(returning: results)
            }
            thread.name = "camprobe-webhook"
            thread.start()
        }
    }

    public func send(_ request: WebhookRequest) async -> WebhookResult {
        await send([request])[0]
    }

    // MARK: - The multi loop

    private func run(_ requests: [WebhookRequest]) -> [WebhookResult] {
        var results = [WebhookResult?](repeating: nil, count: requests.count)
        var active: [UnsafeMutableRawPointer: (index: Int, transfer: CurlTransfer)] = [:]
        var next = 0

        while true {
            // Fill free slots.
            while active.count < max(1, settings.maxConcurrent), next < requests.count {
                let index = next
                next += 1
                do {
                    let transfer = try CurlTransfer(request: requests[index], settings: settings)
                    if transfer.attach(to: multi) {
                        active[transfer.handle] = (index, transfer)
                    } else {
                        results[index] = transfer.startFailure("curl_multi_add_handle failed")
                    }
                } catch {
                    results[index] = WebhookResult(id: requests[index].id, outcome: .failed(error))
                }
            }
            if active.isEmpty { break }

            var running: Int32 = 0
            let performed = curl_multi_perform(multi, &running)
            if performed != CURLM_OK {
                // The multi handle is broken (out of memory): fail what is in flight.
                let reason = String(cString: curl_multi_strerror(performed))
                for (_, entry) in active {
                    results[entry.index] = entry.transfer.startFailure("curl_multi_perform: \(reason)")
                    entry.transfer.detach(from: multi)
                }
                active.removeAll()
                continue
            }

            var finished = false
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let entry = active.removeValue(forKey: easy) else { continue }
                // Read everything before detach: the message dies with remove_handle.
                let code = camprobe_curl_msg_result(message)
                results[entry.index] = entry.transfer.result(code)
                entry.transfer.detach(from: multi)
                finished = true
            }
            // Wait for socket activity or curl's next timer. The 1 s cap only
            // bounds the wait; curl_multi_poll returns sooner when a timeout of
            // its own (connect, total) is due.
            if !finished, !active.isEmpty {
                _ = curl_multi_poll(multi, nil, 0, 1000, nil)
            }
        }
        return results.enumerated().map { index, result in
            result ?? WebhookResult(
                id: requests[index].id,
                outcome: .failed(WebhookError(kind: .transport, redactedURL: requests[index].redactedURL, detail: "no outcome"))
            )
        }
    }
}

/// curl_global_init, once per process. A static let is initialised exactly once,
/// thread-safely (swift_once), before the first multi or easy handle exists:
/// curl_global_init "must be called at least once within a program ... before
/// the program calls any other function in libcurl" and is not thread-safe on
/// builds without CURL_VERSION_THREADSAFE. curl_global_cleanup is never called:
/// the transport lives as long as the daemon.
private enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

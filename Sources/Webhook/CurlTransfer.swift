internal import CCurl
import Foundation

/// One POST on one curl easy handle. Owns the handle, its header list and error
/// buffer, and gathers the response: status line, `Retry-After`, the first
/// `responseLimit` bytes of the body. Used only by `WebhookTransport`, on the thread running
/// `send`; curl calls back on that thread, inside `curl_multi_perform`.
final class CurlTransfer {
    let request: WebhookRequest
    /// The CURL * (curl.h: `typedef void CURL`).
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// CURLOPT_ERRORBUFFER: "a buffer of at least CURL_ERROR_SIZE bytes ... must
    /// be kept available until libcurl no longer needs it" — until cleanup.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var bodyPrefix: [UInt8] = []
    private var retryAfter: String?
    private var truncated = false
    /// The one retain that keeps `self` alive while curl holds it as WRITEDATA
    /// and HEADERDATA: taken in `attach` before the handle joins the multi handle
    /// (no callback can run before), given back in `detach` after it left (no
    /// callback can run after).
    private var callbackRetain: Unmanaged<CurlTransfer>?

    init(request: WebhookRequest, settings: WebhookTransportSettings) throws(WebhookError) {
        guard let handle = curl_easy_init() else {
            throw WebhookError(kind: .transport, redactedURL: request.redactedURL, detail: "curl_easy_init failed (out of memory)")
        }
        self.request = request
        self.handle = handle
        let size = camprobe_curl_error_size()
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        // From here on deinit runs if configure throws, and frees everything.
        try configure(settings)
    }

    deinit {
        // curl_easy_cleanup before freeing what the handle points to.
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Adds the transfer to `multi`; on failure the transfer never started and
    /// holds no retain.
    func attach(to multi: UnsafeMutableRawPointer) -> Bool {
        callbackRetain = Unmanaged.passRetained(self)
        if curl_multi_add_handle(multi, handle) == CURLM_OK { return true }
        callbackRetain?.release()
        callbackRetain = nil
        return false
    }

    func detach(from multi: UnsafeMutableRawPointer) {
        curl_multi_remove_handle(multi, handle)
        callbackRetain?.release()
        callbackRetain = nil
    }

    /// The outcome once curl reported the transfer done with `code`. Call before `detach`.
    func result(_ code: CURLcode) -> WebhookResult {
        let outcome: WebhookResult.Outcome
        if code == CURLE_OK {
            var status = 0
            _ = camprobe_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            switch status {
            case 200..<300:
                outcome = .delivered(status: status)
            case 300...:
                outcome = .rejected(status: status, retryAfter: retryAfter.flatMap { RetryAfter.seconds($0, now: Date()) })
            default:
                outcome = .failed(error(kind: .transport, curlCode: 0, fallback: "no HTTP status in the response (got \(status))"))
            }
        } else {
            outcome = .failed(error(for: code))
        }
        return WebhookResult(id: request.id, outcome: outcome, responseBodyPrefix: bodyPrefix, responseTruncated: truncated)
    }

    /// A failure before the transfer could start (curl_multi_add_handle refused it).
    func startFailure(_ detail: String) -> WebhookResult {
        WebhookResult(id: request.id, outcome: .failed(error(kind: .transport, curlCode: 0, fallback: detail)))
    }

    // MARK: - Set-up

    private func configure(_ settings: WebhookTransportSettings) throws(WebhookError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, string: request.url)
        // Only http and https, also for redirects (never followed anyway): a
        // webhook URL from a config file must not reach file:// or gopher://.
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_FOLLOWLOCATION, long: 0)
        try set(CURLOPT_SSL_VERIFYPEER, long: 1)
        try set(CURLOPT_SSL_VERIFYHOST, long: 2)
        if let caFile = settings.caFile { try set(CURLOPT_CAINFO, string: caFile) }
        // "" explicitly disables proxies, environment variables included (CURLOPT_PROXY).
        try set(CURLOPT_PROXY, string: settings.proxy ?? "")
        // Without NOSIGNAL curl uses SIGALRM for DNS timeouts, which is not
        // thread-safe in a multi-threaded daemon.
        try set(CURLOPT_NOSIGNAL, long: 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, long: Self.milliseconds(settings.connectTimeout))
        try set(CURLOPT_TIMEOUT_MS, long: Self.milliseconds(settings.totalTimeout))
        try set(CURLOPT_USERAGENT, string: settings.userAgent)
        try setBody()
        try setHeaders()
        try check(camprobe_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(camprobe_curl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            // curl_write_callback: returning anything but size * count aborts the
            // transfer, so the body past the prefix is read and dropped, unless the
            // request asked to fail beyond its limit.
            let length = size * count
            if let data, let context {
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                guard transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) else { return 0 }
            }
            return length
        }, "CURLOPT_WRITEFUNCTION")
        try check(camprobe_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try check(camprobe_curl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            // Called once per complete header line, status lines included.
            let length = size * count
            if let data, let context {
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
            }
            return length
        }, "CURLOPT_HEADERFUNCTION")
    }

    private func setBody() throws(WebhookError) {
        try set(CURLOPT_POST, long: 1)
        // The size first: CURLOPT_COPYPOSTFIELDS copies POSTFIELDSIZE bytes when
        // it is set, else it runs strlen, which a body with a NUL would cut short.
        try check(camprobe_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
        // COPYPOSTFIELDS, not POSTFIELDS: curl keeps its own copy, so the Swift
        // array need not outlive this call. An empty body still needs a valid pointer.
        var bytes = request.body.isEmpty ? [0] : request.body
        let code = bytes.withUnsafeMutableBytes { camprobe_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        try check(code, "CURLOPT_COPYPOSTFIELDS")
    }

    private func setHeaders() throws(WebhookError) {
        var lines: [String] = []
        for (name, value) in request.headers {
            // A line break would let a header value inject more headers.
            // (Scalars, not Characters: "\r\n" is one Character equal to neither.)
            let breaks = (name + value).unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
            guard !name.isEmpty, !breaks, !name.contains(":") else {
                throw error(kind: .invalidRequest, curlCode: 0, fallback: "header \(name.debugDescription) is not a valid HTTP header")
            }
            lines.append("\(name): \(value)")
        }
        let names = Set(request.headers.map { $0.name.lowercased() })
        if !names.contains("content-type") { lines.append("Content-Type: application/json") }
        // curl adds "Expect: 100-continue" to POSTs over 1 KiB and then waits up
        // to a second for a 100 that many receivers never send; "Expect:" with no
        // value removes the header.
        if !names.contains("expect") { lines.append("Expect:") }
        for line in lines {
            guard let list = curl_slist_append(headerList, line) else {
                throw error(kind: .transport, curlCode: 0, fallback: "curl_slist_append failed (out of memory)")
            }
            headerList = list
        }
        try check(camprobe_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList)), "CURLOPT_HTTPHEADER")
    }

    private func set(_ option: CURLoption, long value: Int) throws(WebhookError) {
        try check(camprobe_curl_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, string value: String) throws(WebhookError) {
        try check(camprobe_curl_setopt_string(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(WebhookError) {
        try check(camprobe_curl_setopt_pointer(handle, option, value), "option \(option.rawValue)")
    }

    private func check(_ code: CURLcode, _ what: String) throws(WebhookError) {
        guard code == CURLE_OK else {
            var failure = error(for: code)
            failure.detail = "setting \(what): \(failure.detail)"
            throw failure
        }
    }

    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }

    // MARK: - Callbacks

    /// False to end the transfer: the body outgrew a limit the request must not exceed.
    private func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        let room = request.responseLimit - bodyPrefix.count
        if room > 0 { bodyPrefix.append(contentsOf: chunk.prefix(room)) }
        if chunk.count > room, request.failBeyondLimit {
            truncated = true
            return false
        }
        return true
    }

    private func receiveHeader(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            // A new response begins (after a 1xx): forget the previous one's headers.
            retryAfter = nil
            bodyPrefix = []
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        if text[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "retry-after" {
            retryAfter = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    // MARK: - Errors

    private func error(for code: CURLcode) -> WebhookError {
        var connectMicroseconds: curl_off_t = 0
        _ = camprobe_curl_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connectMicroseconds)
        let kind = WebhookError.Kind(curlCode: code, connected: connectMicroseconds > 0)
        return error(kind: kind, curlCode: Int(code.rawValue), fallback: String(cString: curl_easy_strerror(code)))
    }

    /// The error with curl's own message when it wrote one, scrubbed of the URL.
    private func error(kind: WebhookError.Kind, curlCode: Int, fallback: String) -> WebhookError {
        let buffered = String(cString: errorBuffer)
        let detail = ErrorTextScrubber(url: request.url, redactedURL: request.redactedURL)
            .scrub(buffered.isEmpty ? fallback : buffered)
        return WebhookError(kind: kind, redactedURL: request.redactedURL, detail: detail, curlCode: curlCode)
    }
}

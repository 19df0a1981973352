import Foundation
import Testing
import Webhook
import WebhookTestSupport

/// The transport against a real local receiver (scripts/webhook-receiver.py).
struct WebhookTransportTests {
    private static let quick = WebhookTransportSettings(connectTimeout: 2, totalTimeout: 5)

    @Test func send_whenReceiverAccepts_deliversExactBodyAndHeaders() async throws {
        let receiver = try WebhookReceiver()
        // Over 1 KiB (curl would add Expect: 100-continue), with a NUL and UTF-8.
        let body = Array(#"{"camera":"semey12-cam01","school":"Школа №12"}"#.utf8) + [0] + Array(repeating: UInt8(ascii: "x"), count: 2000)
        let transport = try WebhookTransport(settings: WebhookTransportSettings(userAgent: "CamProbe-Test/1"))
        let request = WebhookRequest(id: "row-1", url: receiver.url("/hook?x=1"), headers: [("X-First", "1"), ("X-Second", "two")], body: body)

        let result = await transport.send(request)

        #expect(result == WebhookResult(id: "row-1", outcome: .delivered(status: 200), responseBodyPrefix: Array("ok".utf8)))
        let seen = try receiver.received().requests
        try #require(seen.count == 1)
        #expect(seen[0].method == "POST")
        #expect(seen[0].path == "/hook?x=1")
        #expect(seen[0].body == body)
        #expect(seen[0].header("X-First") == "1")
        #expect(seen[0].header("X-Second") == "two")
        #expect(seen[0].header("Content-Type") == "application/json")
        #expect(seen[0].header("User-Agent") == "CamProbe-Test/1")
        #expect(seen[0].header("Expect") == nil)
        let names = seen[0].headers.compactMap(\.first)
        #expect(try #require(names.firstIndex(of: "X-First")) < #require(names.firstIndex(of: "X-Second")))
    }

    @Test func send_signedRequest_isVerifiedByReceiverAndBySigner() async throws {
        let receiver = try WebhookReceiver(secret: "s3cret-key")
        let body = Array(#"{"event":"camera.down"}"#.utf8)
        let signer = WebhookSigner(secret: "s3cret-key")
        let request = signer.signed(WebhookRequest(id: "a", url: receiver.url("/hook"), body: body), at: Date())

        let result = try await WebhookTransport().send(request)

        #expect(result.outcome == .delivered(status: 200))
        let seen = try #require(try receiver.received().requests.first)
        #expect(seen.signatureOk == true)
        let header = try #require(seen.header(WebhookSigner.headerName))
        #expect(header.hasPrefix("t="))
        #expect(WebhookSigner.verify(header: header, body: seen.body, secret: "s3cret-key", now: Date()))
        #expect(!WebhookSigner.verify(header: header, body: seen.body, secret: "other", now: Date()))
    }

    @Test func send_whenReceiverAnswers500_isRejected500() async throws {
        let receiver = try WebhookReceiver()
        try receiver.script(path: "/hook", responses: [.status(500)])

        let result = try await WebhookTransport(settings: Self.quick).send(WebhookRequest(id: "a", url: receiver.url("/hook"), body: []))

        #expect(result.outcome == .rejected(status: 500, retryAfter: nil))
    }

    @Test func send_when429WithRetryAfter2_isRejectedWithRetryAfter2() async throws {
        let receiver = try WebhookReceiver()
        try receiver.script(path: "/hook", responses: [.status(429, retryAfter: "2")])

        let result = try await WebhookTransport(settings: Self.quick).send(WebhookRequest(id: "a", url: receiver.url("/hook"), body: []))

        #expect(result.outcome == .rejected(status: 429, retryAfter: 2))
    }

    @Test func send_when503WithRetryAfterHTTPDate_isRejectedWithSecondsUntilThen() async throws {
        let receiver = try WebhookReceiver()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        try receiver.script(path: "/hook", responses: [.status(503, retryAfter: formatter.string(from: Date().addingTimeInterval(120)))])

        let result = try await WebhookTransport(settings: Self.quick).send(WebhookRequest(id: "a", url: receiver.url("/hook"), body: []))

        guard case .rejected(503, let retryAfter?) = result.outcome else {
            Issue.record("expected a 503 with Retry-After, got \(result.outcome)")
            return
        }
        #expect((115...121).contains(retryAfter))
    }

    @Test func send_whenResponseOutlastsTotalTimeout_failsWithTotalTimeoutInTime() async throws {
        let receiver = try WebhookReceiver()
        try receiver.script(path: "/hook", responses: [.delay(10)])
        let transport = try WebhookTransport(settings: WebhookTransportSettings(connectTimeout: 1, totalTimeout: 1))
        let clock = ContinuousClock()
        let start = clock.now

        let result = await transport.send(WebhookRequest(id: "a", url: receiver.url("/hook"), body: []))

        // Bounded by the timeout, with a wide margin: the machine is shared and may be slow.
        #expect(clock.now - start < .seconds(30))
        guard case .failed(let error) = result.outcome else {
            Issue.record("expected a timeout, got \(result.outcome)")
            return
        }
        #expect(error.kind == .timeout(.total))
        #expect(error.code == "timeout.total")
    }

    @Test func send_toClosedPort_failsRefused() async throws {
        let closed = try Self.closedPort()

        let result = try await WebhookTransport(settings: Self.quick).send(WebhookRequest(id: "a", url: "http://127.0.0.1:\(closed)/hook", body: []))

        guard case .failed(let error) = result.outcome else {
            Issue.record("expected refused, got \(result.outcome)")
            return
        }
        #expect(error.kind == .refused)
    }

    /// `.invalid` never resolves (RFC 6761), with or without a network.
    @Test func send_toUnresolvableHost_failsDNSNamingRedactedURL() async throws {
        let request = WebhookRequest(id: "a", url: "http://camprobe-test.invalid/hook?token=SECRETxyz", body: [])

        let result = try await WebhookTransport(settings: Self.quick).send(request)

        guard case .failed(let error) = result.outcome else {
            Issue.record("expected a DNS failure, got \(result.outcome)")
            return
        }
        #expect(error.kind == .dns)
        #expect(error.description.hasPrefix("webhook http://camprobe-test.invalid/…: dns: "))
        #expect(!error.description.contains("SECRETxyz"))
    }

    @Test func send_when302_isRejectedAndNotFollowed() async throws {
        let receiver = try WebhookReceiver()
        try receiver.script(path: "/hook", responses: [.status(302, location: receiver.url("/elsewhere"))])

        let result = try await WebhookTransport(settings: Self.quick).send(WebhookRequest(id: "a", url: receiver.url("/hook"), body: []))

        #expect(result.outcome == .rejected(status: 302, retryAfter: nil))
        #expect(try receiver.received().requests.map(\.path) == ["/hook"])
    }

    @Test func send_overHTTPSWithCAFile_isDelivered() async throws {
        let certificate = try SelfSignedCertificate()
        let receiver = try WebhookReceiver(tls: certificate)
        let transport = try WebhookTransport(settings: WebhookTransportSettings(connectTimeout: 2, totalTimeout: 5, caFile: certificate.certificatePath))

        let result = await transport.send(WebhookRequest(id: "a", url: receiver.url("/hook"), body: Array("{}".utf8)))

        #expect(result.outcome == .delivered(status: 200))
        #expect(try receiver.received().requests.count == 1)
    }

    @Test func send_overHTTPSWithoutTheCA_failsTLS() async throws {
        let certificate = try SelfSignedCertificate()
        let receiver = try WebhookReceiver(tls: certificate)

        let result = try await WebhookTransport(settings: Self.quick).send(WebhookRequest(id: "a", url: receiver.url("/hook"), body: []))

        guard case .failed(let error) = result.outcome else {
            Issue.record("expected a TLS failure, got \(result.outcome)")
            return
        }
        #expect(error.kind == .tls)
        #expect(try receiver.received().requests.isEmpty)
    }

    @Test func send_eightSlowRequestsWithMaxConcurrent4_runFourAtATime() async throws {
        let receiver = try WebhookReceiver()
        try receiver.script(path: "/slow", responses: Array(repeating: .delay(1), count: 8))
        let transport = try WebhookTransport(settings: WebhookTransportSettings(connectTimeout: 2, totalTimeout: 5, maxConcurrent: 4))
        let requests = (0..<8).map { WebhookRequest(id: "r\($0)", url: receiver.url("/slow"), body: Array("\($0)".utf8)) }
        let clock = ContinuousClock()
        let start = clock.now

        let results = await transport.send(requests)

        let elapsed = clock.now - start
        #expect(elapsed < .seconds(60), "8 × 1 s with 4 at a time should take about 2 s, took \(elapsed)")
        #expect(elapsed >= .seconds(2))
        #expect(results.map(\.id) == requests.map(\.id))
        #expect(results.allSatisfy { $0.outcome == .delivered(status: 200) })
        let received = try receiver.received()
        #expect(received.requests.count == 8)
        #expect(received.maxConcurrent <= 4)
        #expect(received.maxConcurrent >= 2)
    }

    @Test func send_fromTwoTasksAtOnce_bothComplete() async throws {
        let receiver = try WebhookReceiver()
        let transport = try WebhookTransport(settings: Self.quick)
        let (a, b) = (WebhookRequest(id: "a", url: receiver.url("/a"), body: []), WebhookRequest(id: "b", url: receiver.url("/b"), body: []))
        async let first = transport.send([a])
        async let second = transport.send([b])

        let results = await first + second

        #expect(results.map(\.outcome) == [.delivered(status: 200), .delivered(status: 200)])
    }

    @Test func errorDescription_forTokenInURL_namesRedactedURLAndNeverTheToken() async throws {
        let closed = try Self.closedPort()
        let token = "123456789:AAHsecretTOKENvalue"
        let requests = [
            WebhookRequest(
                id: "path", url: "http://127.0.0.1:\(closed)/bot\(token)/sendMessage", body: [],
                redactedURL: "http://127.0.0.1:\(closed)/bot***/sendMessage"
            ),
            // Default redaction keeps only the origin.
            WebhookRequest(id: "query", url: "http://user:\(token)@127.0.0.1:\(closed)/hook?key=\(token)", body: []),
            // curl refuses the scheme before connecting; its message must not leak either.
            WebhookRequest(id: "scheme", url: "ftp://127.0.0.1:\(closed)/bot\(token)/x", body: [], redactedURL: "ftp://127.0.0.1/bot***/x"),
            WebhookRequest(id: "header", url: "http://127.0.0.1:\(closed)/bot\(token)", headers: [("X-Bad", "a\r\nX-Injected: 1")], body: []),
        ]

        let results = try await WebhookTransport(settings: Self.quick).send(requests)

        for (request, result) in zip(requests, results) {
            guard case .failed(let error) = result.outcome else {
                Issue.record("\(request.id): expected a failure, got \(result.outcome)")
                continue
            }
            #expect(error.description.contains(request.redactedURL), "\(request.id): \(error)")
            #expect(!error.description.contains("AAHsecret"), "\(request.id): \(error)")
            #expect(!error.description.contains("123456789"), "\(request.id): \(error)")
            #expect(!error.description.contains("\n"), "\(request.id): \(error)")
        }
        #expect(results.map { Self.code($0) } == ["refused", "refused", "request", "request"])
        #expect(requests[1].redactedURL == "http://127.0.0.1:\(closed)/…")
    }

    private static func code(_ result: WebhookResult) -> String? {
        if case .failed(let error) = result.outcome { return error.code }
        return nil
    }

    /// A port nothing listens on: a receiver's, after it stopped.
    private static func closedPort() throws -> Int {
        let receiver = try WebhookReceiver()
        receiver.stop()
        return receiver.port
    }
}

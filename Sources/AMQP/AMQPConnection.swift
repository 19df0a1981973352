internal import CRabbitMQ
import Foundation
import Glibc

/// The one owner of a librabbitmq `amqp_connection_state_t`: connection, login and one channel
/// (number 1). Created connected in a throwing `init` that destroys the state on failure;
/// `deinit` closes. Every librabbitmq status and server close becomes an `AMQPError` here.
/// Not thread-safe: librabbitmq's state must be used from one thread at a time.
final class AMQPConnection {
    /// Frames the publisher and the idle loop care about; everything else is handled here.
    enum Event {
        case ack(deliveryTag: UInt64, multiple: Bool)
        case nack(deliveryTag: UInt64, multiple: Bool)
    }

    private enum Phase { case connecting, loggingIn, open }

    let settings: AMQPSettings
    let endpoint: String
    static let channel: amqp_channel_t = 1

    private var state: amqp_connection_state_t?
    private var phase = Phase.connecting
    /// The error that killed the connection; every later call rethrows it.
    private(set) var failure: AMQPError?
    /// RabbitMQ sent connection.blocked (resource alarm) and no connection.unblocked since.
    private(set) var isBlocked = false
    private(set) var blockedReason = ""

    init(settings: AMQPSettings, confirms: Bool) throws(AMQPError) {
        self.settings = settings
        self.endpoint = settings.endpoint
        guard let state = amqp_new_connection() else {
            throw AMQPError(.connectFailed, endpoint: settings.endpoint, "out of memory creating the connection")
        }
        self.state = state
        do {
            try open(state, confirms: confirms)
        } catch {
            destroy()
            throw error
        }
    }

    deinit { close() }

    var isOpen: Bool { state != nil && failure == nil }

    // MARK: setup

    private func open(_ state: amqp_connection_state_t, confirms: Bool) throws(AMQPError) {
        let socket = try makeSocket(state)
        var connectTimeout = AMQPDeadline.timeval(seconds: settings.connectTimeout)
        // Covers the TCP connect and, for TLS, the handshake and certificate checks.
        let status = amqp_socket_open_noblock(socket, settings.host, Int32(settings.port), &connectTimeout)
        let savedErrno = errno
        guard status == AMQP_STATUS_OK.rawValue else { throw openError(status, errno: savedErrno) }

        // amqp_login blocks until the broker answers; the handshake timeout bounds it (default
        // would be 12 s), and the RPC timeout bounds every later synchronous command.
        amqp_set_handshake_timeout(state, &connectTimeout)
        amqp_set_rpc_timeout(state, &connectTimeout)
        phase = .loggingIn
        let login = cp_amqp_login_plain(
            state, settings.virtualHost, 1, Int32(AMQP_DEFAULT_FRAME_SIZE), Int32(settings.heartbeat),
            settings.user, settings.password
        )
        try check(login, "login")
        phase = .open

        amqp_channel_open(state, Self.channel)
        try check(amqp_get_rpc_reply(state), "channel.open")
        if confirms {
            amqp_confirm_select(state, Self.channel)
            try check(amqp_get_rpc_reply(state), "confirm.select")
        }
        let arena = AMQPByteArena()
        amqp_exchange_declare(
            state, Self.channel, arena.bytes(settings.exchange), arena.bytes("topic"),
            0, 1, 0, 0, amqp_empty_table
        )
        try check(amqp_get_rpc_reply(state), "exchange.declare \(settings.exchange)")
        if let queue = settings.queue {
            amqp_queue_declare(state, Self.channel, arena.bytes(queue), 0, 1, 0, 0, amqp_empty_table)
            try check(amqp_get_rpc_reply(state), "queue.declare \(queue)")
            amqp_queue_bind(
                state, Self.channel, arena.bytes(queue), arena.bytes(settings.exchange), arena.bytes("#"),
                amqp_empty_table
            )
            try check(amqp_get_rpc_reply(state), "queue.bind \(queue)")
        }
    }

    private func makeSocket(_ state: amqp_connection_state_t) throws(AMQPError) -> OpaquePointer {
        guard settings.useTLS else {
            guard let socket = amqp_tcp_socket_new(state) else {
                throw AMQPError(.connectFailed, endpoint: endpoint, "cannot create a TCP socket")
            }
            return socket
        }
        // The first TLS socket initialises OpenSSL once per process (librabbitmq guards it
        // with a mutex), so connections may be created from any thread.
        guard let socket = amqp_ssl_socket_new(state) else {
            throw AMQPError(.tlsFailed, endpoint: endpoint, "cannot create a TLS context (OpenSSL initialisation failed)")
        }
        // librabbitmq does not load OpenSSL's default trust store: without a CA file nothing verifies.
        let caFile = settings.caFile ?? "/etc/ssl/certs/ca-certificates.crt"
        if settings.verifyPeer || settings.caFile != nil {
            guard amqp_ssl_socket_set_cacert(socket, caFile) == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.tlsFailed, endpoint: endpoint, "cannot load CA certificates from \(caFile)")
            }
        }
        amqp_ssl_socket_set_verify_peer(socket, settings.verifyPeer ? 1 : 0)
        amqp_ssl_socket_set_verify_hostname(socket, settings.verifyHostname ? 1 : 0)
        return socket
    }

    private func openError(_ status: Int32, errno savedErrno: Int32) -> AMQPError {
        let timeout = String(format: "%g", settings.connectTimeout)
        switch status {
        case AMQP_STATUS_SSL_PEER_VERIFY_FAILED.rawValue:
            let ca = settings.caFile ?? "the system CA bundle"
            return AMQPError(.tlsFailed, endpoint: endpoint, "TLS handshake failed: certificate verify failed (not signed by a CA in \(ca))")
        case AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED.rawValue:
            return AMQPError(.tlsFailed, endpoint: endpoint, "TLS handshake failed: the broker's certificate does not name \(settings.host)")
        case AMQP_STATUS_SSL_CONNECTION_FAILED.rawValue, AMQP_STATUS_SSL_ERROR.rawValue:
            return AMQPError(.tlsFailed, endpoint: endpoint, "TLS handshake failed (is the port a TLS listener?)")
        case AMQP_STATUS_TIMEOUT.rawValue:
            let what = settings.useTLS ? "connect and TLS handshake" : "connect"
            return AMQPError(.connectFailed, endpoint: endpoint, "\(what) timed out after \(timeout)s")
        case AMQP_STATUS_HOSTNAME_RESOLUTION_FAILED.rawValue:
            return AMQPError(.connectFailed, endpoint: endpoint, "cannot resolve host \(settings.host)")
        case AMQP_STATUS_SOCKET_ERROR.rawValue, AMQP_STATUS_TCP_ERROR.rawValue:
            // librabbitmq connects non-blocking and reads the result with poll, so errno is
            // usually still EINPROGRESS from connect(2): only a synchronous failure names its cause.
            let uninformative: Set<Int32> = [0, EINPROGRESS, EAGAIN, EINTR]
            let cause = uninformative.contains(savedErrno)
                ? "refused or unreachable (no listener on port \(settings.port)?)"
                : String(cString: strerror(savedErrno)).lowercased()
            return AMQPError(.connectFailed, endpoint: endpoint, "connect failed: \(cause)")
        default:
            return AMQPError(.connectFailed, endpoint: endpoint, "connect failed: \(Self.statusText(status))")
        }
    }

    // MARK: frames

    /// Waits for the next ack or nack until `deadline`; nil when the deadline passes first.
    /// Services heartbeats (librabbitmq sends ours and checks the broker's while waiting),
    /// skips returned messages, records connection.blocked, and turns a server close or a
    /// dead socket into an error that also closes this connection for good.
    func nextEvent(until deadline: AMQPDeadline) throws(AMQPError) -> Event? {
        let state = try liveState()
        while true {
            var frame = amqp_frame_t()
            var timeout = deadline.timeval
            let status = amqp_simple_wait_frame_noblock(state, &frame, &timeout)
            if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
            guard status == AMQP_STATUS_OK.rawValue else { throw fail(libraryError(status, "waiting for the broker")) }
            // Header and body frames belong to a basic.return (mandatory is never set, but a
            // broker may still return); nothing reads them.
            guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { continue }
            let method = frame.payload.method
            defer { amqp_maybe_release_buffers(state) }
            switch method.id {
            case cp_basic_ack_method():
                let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                return .ack(deliveryTag: ack.delivery_tag, multiple: ack.multiple != 0)
            case cp_basic_nack_method():
                let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                return .nack(deliveryTag: nack.delivery_tag, multiple: nack.multiple != 0)
            case cp_connection_blocked_method():
                isBlocked = true
                blockedReason = method.decoded.assumingMemoryBound(to: amqp_connection_blocked_t.self).pointee.reason.string
            case cp_connection_unblocked_method():
                isBlocked = false
            case cp_connection_close_method(), cp_channel_close_method():
                throw fail(serverClose(method, during: "publishing"))
            default:
                continue
            }
        }
    }

    /// Publishes one persistent message on the channel. librabbitmq writes it without a
    /// deadline (`amqp_time_infinite()` inside `amqp_basic_publish`): the socket buffer absorbs
    /// it unless the broker stopped reading, which the caller checks first via `isBlocked`.
    func publish(_ message: AMQPMessage) throws(AMQPError) {
        let state = try liveState()
        let arena = AMQPByteArena()
        var properties = amqp_basic_properties_t()
        properties._flags = amqp_flags_t(
            AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG
                | AMQP_BASIC_TIMESTAMP_FLAG | AMQP_BASIC_TYPE_FLAG
        )
        properties.content_type = arena.bytes(message.contentType)
        properties.delivery_mode = 2  // persistent
        properties.message_id = arena.bytes(message.messageID)
        properties.type = arena.bytes(message.type)
        properties.timestamp = UInt64(max(0, message.timestamp.timeIntervalSince1970))
        for (name, value) in [("content type", message.contentType), ("message id", message.messageID),
                              ("type", message.type), ("routing key", message.routingKey)]
        where value.utf8.count > 255 {
            throw AMQPError(.invalidArgument, endpoint: endpoint, "\(name) longer than 255 bytes: \(value.prefix(40))...")
        }
        let status = amqp_basic_publish(
            state, Self.channel, arena.bytes(settings.exchange), arena.bytes(message.routingKey),
            0, 0, &properties, arena.bytes(message.body)
        )
        guard status == AMQP_STATUS_OK.rawValue else { throw fail(libraryError(status, "publishing")) }
    }

    /// Pops one message with basic.get (auto-ack); nil when the queue is empty. For the
    /// tests' independent reader (`AMQPConsumer` in Tests/AMQPTestSupport).
    func get(queue: String) throws(AMQPError) -> AMQPMessage? {
        let state = try liveState()
        let arena = AMQPByteArena()
        let reply = amqp_basic_get(state, Self.channel, arena.bytes(queue), 1)
        try check(reply, "basic.get \(queue)")
        defer { amqp_maybe_release_buffers(state) }
        guard reply.reply.id == cp_basic_get_ok_method() else { return nil }
        let getOK = reply.reply.decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        let routingKey = getOK.routing_key.string
        var message = amqp_message_t()
        try check(amqp_read_message(state, Self.channel, &message, 0), "reading a message from \(queue)")
        defer { amqp_destroy_message(&message) }
        let properties = message.properties
        func has(_ flag: Int32) -> Bool { properties._flags & amqp_flags_t(flag) != 0 }
        return AMQPMessage(
            routingKey: routingKey,
            body: message.body.array,
            messageID: has(AMQP_BASIC_MESSAGE_ID_FLAG) ? properties.message_id.string : "",
            type: has(AMQP_BASIC_TYPE_FLAG) ? properties.type.string : "",
            contentType: has(AMQP_BASIC_CONTENT_TYPE_FLAG) ? properties.content_type.string : "",
            timestamp: Date(timeIntervalSince1970: has(AMQP_BASIC_TIMESTAMP_FLAG) ? Double(properties.timestamp) : 0),
            deliveryMode: has(AMQP_BASIC_DELIVERY_MODE_FLAG) ? properties.delivery_mode : 1
        )
    }

    // MARK: close

    /// Graceful channel.close then connection.close, both within `timeout` seconds, then
    /// frees the state. Idempotent; after a failure it only frees.
    func close(timeout: Double = 2) {
        guard let state else { return }
        if failure == nil, phase == .open {
            let deadline = AMQPDeadline(seconds: timeout)
            var rpcTimeout = deadline.timeval
            amqp_set_rpc_timeout(state, &rpcTimeout)
            let reply = amqp_channel_close(state, Self.channel, AMQP_REPLY_SUCCESS)
            if reply.reply_type == AMQP_RESPONSE_NORMAL, !deadline.hasPassed {
                rpcTimeout = deadline.timeval
                amqp_set_rpc_timeout(state, &rpcTimeout)
                _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
            }
        }
        if failure == nil {
            failure = AMQPError(.connectionClosed, endpoint: endpoint, "the connection was closed by this client")
        }
        destroy()
    }

    private func destroy() {
        guard let state else { return }
        amqp_destroy_connection(state)  // also closes and frees the socket
        self.state = nil
    }

    // MARK: errors

    private func liveState() throws(AMQPError) -> amqp_connection_state_t {
        if let failure { throw failure }
        guard let state else { throw AMQPError(.connectionClosed, endpoint: endpoint, "the connection is closed") }
        return state
    }

    /// Records the first fatal error; every later call rethrows it. The state (and its
    /// socket) is freed by `close()` or `deinit`: librabbitmq has no public call that closes
    /// only the socket, and frames decoded in its pools may still be in use by the caller.
    private func fail(_ error: AMQPError) -> AMQPError {
        if failure == nil { failure = error }
        return error
    }

    private func check(_ reply: amqp_rpc_reply_t, _ what: String) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw fail(libraryError(reply.library_error, what))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            throw fail(serverClose(reply.reply, during: what))
        default:
            throw fail(AMQPError(.protocolError, endpoint: endpoint, "\(what): no reply from librabbitmq"))
        }
    }

    private func libraryError(_ status: Int32, _ what: String) -> AMQPError {
        let text = Self.statusText(status)
        switch status {
        case AMQP_STATUS_HEARTBEAT_TIMEOUT.rawValue:
            return AMQPError(.heartbeatTimeout, endpoint: endpoint,
                             "\(what): no heartbeat from the broker for \(2 * settings.heartbeat)s; connection dropped")
        case AMQP_STATUS_TIMEOUT.rawValue:
            return AMQPError(.timeout, endpoint: endpoint, "\(what): no answer within \(String(format: "%g", settings.connectTimeout))s")
        case AMQP_STATUS_CONNECTION_CLOSED.rawValue, AMQP_STATUS_SOCKET_CLOSED.rawValue:
            let cause = phase == .loggingIn ? "the broker closed the connection during login" : "the broker closed the connection"
            return AMQPError(.connectionClosed, endpoint: endpoint, "\(what): \(cause)")
        case AMQP_STATUS_SOCKET_ERROR.rawValue, AMQP_STATUS_TCP_ERROR.rawValue:
            return AMQPError(.connectionClosed, endpoint: endpoint, "\(what): connection lost (\(text))")
        case AMQP_STATUS_BAD_AMQP_DATA.rawValue where phase == .loggingIn,
             AMQP_STATUS_INCOMPATIBLE_AMQP_VERSION.rawValue:
            return AMQPError(.protocolError, endpoint: endpoint, "\(what): the peer is not an AMQP 0-9-1 broker (\(text))")
        case AMQP_STATUS_SSL_ERROR.rawValue, AMQP_STATUS_SSL_CONNECTION_FAILED.rawValue:
            return AMQPError(.connectionClosed, endpoint: endpoint, "\(what): TLS connection lost (\(text))")
        case AMQP_STATUS_INVALID_PARAMETER.rawValue, AMQP_STATUS_TABLE_TOO_BIG.rawValue:
            return AMQPError(.invalidArgument, endpoint: endpoint, "\(what): \(text)")
        case AMQP_STATUS_BROKER_UNSUPPORTED_SASL_METHOD.rawValue:
            return AMQPError(.authenticationFailed, endpoint: endpoint, "\(what): the broker does not accept PLAIN authentication")
        default:
            return AMQPError(.protocolError, endpoint: endpoint, "\(what): \(text)")
        }
    }

    /// Maps connection.close / channel.close from the broker. Answers with close-ok, as the
    /// protocol asks, before the caller drops the connection.
    private func serverClose(_ method: amqp_method_t, during what: String) -> AMQPError {
        guard let state else { return AMQPError(.connectionClosed, endpoint: endpoint, "\(what): connection closed") }
        if method.id == cp_connection_close_method() {
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t()
            _ = amqp_send_method(state, 0, cp_connection_close_ok_method(), &ok)
            let code = Int(close.reply_code)
            let text = close.reply_text.string
            let kind: AMQPError.Code
            switch code {
            case 403 where phase == .loggingIn && what == "login" && text.contains("Login was refused"):
                return AMQPError(.authenticationFailed, endpoint: endpoint,
                                 "authentication failed for user \(settings.user): \(text)", replyCode: code)
            case 403, 530: kind = .accessRefused
            case 320, 541: kind = .connectionClosed
            default: kind = .protocolError
            }
            return AMQPError(kind, endpoint: endpoint, "\(what): broker closed the connection: \(code) \(text)", replyCode: code)
        }
        if method.id == cp_channel_close_method() {
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var ok = amqp_channel_close_ok_t()
            _ = amqp_send_method(state, Self.channel, cp_channel_close_ok_method(), &ok)
            let code = Int(close.reply_code)
            let kind: AMQPError.Code = code == 403 ? .accessRefused : .channelClosed
            return AMQPError(kind, endpoint: endpoint, "\(what): broker closed the channel: \(code) \(close.reply_text.string)", replyCode: code)
        }
        return AMQPError(.protocolError, endpoint: endpoint, String(format: "\(what): unexpected method 0x%08x", method.id))
    }

    static func statusText(_ status: Int32) -> String {
        guard let text = amqp_error_string2(status) else { return "status \(status)" }
        return String(cString: text)
    }
}

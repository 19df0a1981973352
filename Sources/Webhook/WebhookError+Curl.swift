internal import CCurl

extension WebhookError.Kind {
    /// Maps curl's result code to the stable kinds. `connected`: whether the TCP
    /// connection was up (CURLINFO_CONNECT_TIME_T > 0), since curl reports both
    /// connect and total timeouts as CURLE_OPERATION_TIMEDOUT.
    init(curlCode code: CURLcode, connected: Bool) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            self = .dns
        case CURLE_COULDNT_CONNECT:
            self = .refused
        case CURLE_OPERATION_TIMEDOUT:
            self = .timeout(connected ? .total : .connect)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            self = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            self = .invalidRequest
        default:
            self = .transport
        }
    }
}

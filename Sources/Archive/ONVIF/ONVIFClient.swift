import CamProbeCore
import Foundation
import Webhook

/// SOAP 1.2 over HTTP to one recorder's ONVIF services, through the libcurl
/// transport the webhooks use. Every call is bounded: `responseLimit` bytes (beyond
/// it the transfer is cut off) and the transport's connect and total timeouts.
/// Credentials go only to `host:port` (the service addresses a device advertises
/// lend their path, never their host).
final class ONVIFClient {
    /// A search answer for a 1,000-recording NVR stays under 1 MiB.
    static let responseLimit = 1024 * 1024

    let host: String
    let port: Int
    let token: UsernameToken?
    let transport: WebhookTransport
    /// Recorder clock minus ours, once known: WS-Security timestamps use the recorder's clock.
    var clockOffset: TimeInterval = 0
    private(set) var requests = 0
    var searchPath = "/onvif/search_service"
    static let devicePath = "/onvif/device_service"

    init(host: String, port: Int, credentials: Credentials?, transport: WebhookTransport) {
        self.host = host
        self.port = port
        self.token = credentials.map { UsernameToken(username: $0.username, password: $0.password) }
        self.transport = transport
    }

    private var origin: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// The answer's first element in the SOAP body.
    func call(_ operation: SOAPOperation) throws(ArchiveFailure) -> XMLElementNode {
        let path = operation.service == .device ? Self.devicePath : searchPath
        let security = operation.needsToken ? token?.header(created: Date().addingTimeInterval(clockOffset)) : nil
        let request = WebhookRequest(
            id: operation.name, url: origin + path,
            headers: [("Content-Type", "application/soap+xml; charset=utf-8; action=\"\(operation.name)\"")],
            body: Array(operation.envelope(security: security).utf8), redactedURL: origin + path,
            responseLimit: Self.responseLimit, failBeyondLimit: true)
        requests += 1
        let result = transport.send([request])[0]
        let what = "ONVIF \(operation.name) at \(origin)"
        if result.responseTruncated {
            throw ArchiveFailure(.tooLarge, "\(what): the answer is larger than \(Self.responseLimit / 1024) KiB")
        }
        switch result.outcome {
        case .failed(let error):
            throw ArchiveFailure(Self.code(error), "\(what): \(error.code): \(error.detail)")
        case .rejected(let status, _) where status == 401 || status == 403:
            throw ArchiveFailure(.unauthorized, "\(what): HTTP \(status): the recorder refused the credentials")
        case .rejected(let status, _):
            throw fault(result.responseBodyPrefix, what: what) ?? ArchiveFailure(.protocolError, "\(what): HTTP \(status)")
        case .delivered:
            return try body(result.responseBodyPrefix, what: what)
        }
    }

    private static func code(_ error: WebhookError) -> ArchiveFailure.Code {
        switch error.kind {
        case .timeout: .timeout
        case .dns, .refused: .unreachable
        case .tls, .invalidRequest, .transport: .protocolError
        }
    }

    private func envelope(_ bytes: [UInt8], what: String) throws(ArchiveFailure) -> XMLElementNode {
        do throws(XMLTreeError) {
            let root = try XMLTree.parse(bytes)
            guard root.name == "Envelope", let body = root.child("Body") else {
                throw XMLTreeError(message: "the answer is not a SOAP envelope (root <\(CameraText.sanitized(root.name))>)")
            }
            return body
        } catch {
            throw ArchiveFailure(.protocolError, "\(what): \(error.message)")
        }
    }

    private func body(_ bytes: [UInt8], what: String) throws(ArchiveFailure) -> XMLElementNode {
        let body = try envelope(bytes, what: what)
        if let failure = fault(body, what: what) { throw failure }
        guard let answer = body.children.first else {
            throw ArchiveFailure(.protocolError, "\(what): the SOAP body is empty")
        }
        return answer
    }

    private func fault(_ bytes: [UInt8], what: String) -> ArchiveFailure? {
        guard let body = try? envelope(bytes, what: what) else { return nil }
        return fault(body, what: what)
    }

    /// A SOAP Fault: `ter:NotAuthorized` (ONVIF Core 5.11.2.2) is a credentials problem;
    /// `ter:ActionNotSupported` means the device lacks the service.
    private func fault(_ body: XMLElementNode, what: String) -> ArchiveFailure? {
        guard let fault = body.child("Fault") else { return nil }
        let codes = [fault.value("Code", "Value"), fault.value("Code", "Subcode", "Value"), fault.value("Code", "Subcode", "Subcode", "Value")]
            .compactMap { $0 }.joined(separator: " ")
        let reason = fault.child("Reason")?.child("Text")?.text ?? ""
        let line = CameraText.sanitized("\(codes) \(reason)".trimmingCharacters(in: .whitespaces))
        if codes.contains("NotAuthorized") || codes.contains("FailedAuthentication") || codes.contains("InvalidSecurity") {
            return ArchiveFailure(.unauthorized, "\(what): the recorder refused the credentials (\(line))")
        }
        if codes.contains("ActionNotSupported") || codes.contains("NoSuchService") {
            return ArchiveFailure(.noMethod, "\(what): not supported (\(line))")
        }
        return ArchiveFailure(.protocolError, "\(what): SOAP fault: \(line)")
    }
}

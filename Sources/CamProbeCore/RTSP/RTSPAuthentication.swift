/// HTTP-style authentication for RTSP (RFC 2617, as cameras implement it):
/// the challenge a camera sends with 401, and the `Authorization` field that
/// answers it, Basic or Digest (MD5, MD5-sess; qop `auth` or none).
public struct RTSPChallenge: Sendable, Equatable {
    public enum Scheme: String, Sendable, Equatable {
        case basic = "Basic"
        case digest = "Digest"
    }

    public var scheme: Scheme
    public var parameters: [String: String]

    public var realm: String { parameters["realm"] ?? "" }

    /// Parses one `WWW-Authenticate` value; nil for schemes the prober cannot answer.
    public init?(_ header: String) {
        let trimmed = header.trimmingWhitespace()
        let schemeEnd = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        switch trimmed[..<schemeEnd].lowercased() {
        case "basic": scheme = .basic
        case "digest": scheme = .digest
        default: return nil
        }
        parameters = Self.parameters(trimmed[schemeEnd...])
        if scheme == .digest {
            guard parameters["nonce"] != nil else { return nil }
            let algorithm = (parameters["algorithm"] ?? "MD5").uppercased()
            guard algorithm == "MD5" || algorithm == "MD5-SESS" else { return nil }
        }
    }

    /// The strongest challenge the prober can answer: Digest before Basic.
    public static func best(of headers: [String]) -> RTSPChallenge? {
        let challenges = headers.compactMap(RTSPChallenge.init)
        return challenges.first { $0.scheme == .digest } ?? challenges.first
    }

    /// `key=value, key="quoted, value"` pairs; keys lower-cased.
    static func parameters(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var index = text.startIndex
        func skip(_ predicate: (Character) -> Bool) {
            while index < text.endIndex, predicate(text[index]) { index = text.index(after: index) }
        }
        while index < text.endIndex {
            skip { $0 == " " || $0 == "," || $0 == "\t" }
            let keyStart = index
            skip { $0 != "=" && $0 != "," }
            let key = text[keyStart..<index].trimmingWhitespaceSubstring().lowercased()
            guard index < text.endIndex, text[index] == "=" else { continue }
            index = text.index(after: index)
            skip { $0 == " " }
            var value = ""
            if index < text.endIndex, text[index] == "\"" {
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "\"" {
                    if text[index] == "\\", text.index(after: index) < text.endIndex { index = text.index(after: index) }
                    value.append(text[index])
                    index = text.index(after: index)
                }
                if index < text.endIndex { index = text.index(after: index) }
            } else {
                let valueStart = index
                skip { $0 != "," }
                value = String(text[valueStart..<index]).trimmingWhitespace()
            }
            if !key.isEmpty { result[key] = value }
        }
        return result
    }
}

/// Answers a challenge for each request of a session. Digest needs a fresh
/// response per method and URI, and a counter when the camera asked for qop.
public struct RTSPAuthorizer: Sendable {
    public let challenge: RTSPChallenge
    private let user: String
    private let password: String
    private let cnonce: String
    private var count = 0

    /// `cnonce` is the client nonce (random hex in production, fixed in tests).
    public init(challenge: RTSPChallenge, user: String, password: String, cnonce: String) {
        self.challenge = challenge
        self.user = user
        self.password = password
        self.cnonce = cnonce
    }

    /// The `Authorization` value for one request. `md5` returns the lower-case
    /// hex digest of its UTF-8 input.
    public mutating func authorization(method: String, uri: String, md5: (String) -> String) -> String {
        switch challenge.scheme {
        case .basic:
            return "Basic " + Base64.encode(Array("\(user):\(password)".utf8))
        case .digest:
            let parameters = challenge.parameters
            let nonce = parameters["nonce"] ?? ""
            let algorithm = parameters["algorithm"]
            var ha1 = md5("\(user):\(challenge.realm):\(password)")
            if algorithm?.uppercased() == "MD5-SESS" { ha1 = md5("\(ha1):\(nonce):\(cnonce)") }
            let ha2 = md5("\(method):\(uri)")
            let qop = parameters["qop"]?.split(separator: ",").map { $0.trimmingWhitespaceSubstring() }.contains("auth") == true ? "auth" : nil
            var fields = [
                "username=\"\(Self.quoted(user))\"", "realm=\"\(Self.quoted(challenge.realm))\"",
                "nonce=\"\(Self.quoted(nonce))\"", "uri=\"\(Self.quoted(uri))\"",
            ]
            let response: String
            if let qop {
                count += 1
                let nc = String(String(count, radix: 16).reversed()).padding(toLength: 8, withPad: "0", startingAt: 0)
                let counter = String(nc.reversed())
                response = md5("\(ha1):\(nonce):\(counter):\(cnonce):\(qop):\(ha2)")
                fields.append("response=\"\(response)\"")
                fields += ["qop=\(qop)", "nc=\(counter)", "cnonce=\"\(cnonce)\""]
            } else {
                response = md5("\(ha1):\(nonce):\(ha2)")
                fields.append("response=\"\(response)\"")
            }
            if let algorithm { fields.append("algorithm=\(algorithm)") }
            if let opaque = parameters["opaque"] { fields.append("opaque=\"\(Self.quoted(opaque))\"") }
            return "Digest " + fields.joined(separator: ", ")
        }
    }

    private static func quoted(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
    }
}

import Foundation

/// Removes a URL's secrets from text curl wrote (its error buffer), leaving what
/// the redacted URL already shows.
///
/// curl's messages usually name only the host ("Failed to connect to
/// api.telegram.org port 443"), but some quote the URL or parts of it
/// ("URL rejected: Malformed input to a URL function" paths, "Unsupported
/// protocol" with the scheme). Rather than trust that, every piece of the raw
/// URL that the redacted URL does not contain is replaced by `***`.
struct ErrorTextScrubber {
    let url: String
    let redactedURL: String

    func scrub(_ text: String) -> String {
        var result = text.replacingOccurrences(of: url, with: redactedURL)
        for secret in secrets() {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        // One line: curl's buffer sometimes ends in a newline.
        return result.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Pieces of the URL between delimiters that the redacted URL hides, longest
    /// first so a piece never survives half-replaced. Short pieces (`v1`, `api`)
    /// are not secrets and would shred the message.
    private func secrets() -> [String] {
        let delimiters: Set<Character> = ["/", "?", "&", "=", ":", "@", "#", ";", ","]
        let pieces = url.split(whereSeparator: { delimiters.contains($0) }).map(String.init)
        let hidden = pieces.filter { $0.count >= 4 && !redactedURL.contains($0) }
        // Percent-decoded forms too: curl may print a decoded user name.
        let decoded = hidden.compactMap { $0.removingPercentEncoding }.filter { $0.count >= 4 }
        return Array(Set(hidden + decoded)).sorted { $0.count > $1.count }
    }
}

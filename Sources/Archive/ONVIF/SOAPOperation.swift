/// The ONVIF operations the archive meter calls, each with its body and the
/// service it belongs to.
enum SOAPOperation {
    case getSystemDateAndTime
    case getServices
    case getRecordingSummary
    case findRecordings(maxMatches: Int)
    case getRecordingSearchResults(token: String, maxResults: Int)
    case endSearch(token: String)

    enum Service {
        case device
        case search
    }

    var service: Service {
        switch self {
        case .getSystemDateAndTime, .getServices: .device
        case .getRecordingSummary, .findRecordings, .getRecordingSearchResults, .endSearch: .search
        }
    }

    /// GetSystemDateAndTime is answered without credentials (ONVIF Core 5.9.1: it
    /// must be, so that a client can learn the clock before it signs a token).
    var needsToken: Bool {
        if case .getSystemDateAndTime = self { return false }
        return true
    }

    var name: String {
        switch self {
        case .getSystemDateAndTime: "GetSystemDateAndTime"
        case .getServices: "GetServices"
        case .getRecordingSummary: "GetRecordingSummary"
        case .findRecordings: "FindRecordings"
        case .getRecordingSearchResults: "GetRecordingSearchResults"
        case .endSearch: "EndSearch"
        }
    }

    static let deviceNamespace = "http://www.onvif.org/ver10/device/wsdl"
    static let searchNamespace = "http://www.onvif.org/ver10/search/wsdl"

    var body: String {
        switch self {
        case .getSystemDateAndTime:
            "<tds:GetSystemDateAndTime xmlns:tds=\"\(Self.deviceNamespace)\"/>"
        case .getServices:
            "<tds:GetServices xmlns:tds=\"\(Self.deviceNamespace)\"><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>"
        case .getRecordingSummary:
            "<tse:GetRecordingSummary xmlns:tse=\"\(Self.searchNamespace)\"/>"
        case .findRecordings(let maxMatches):
            "<tse:FindRecordings xmlns:tse=\"\(Self.searchNamespace)\"><tse:Scope/><tse:MaxMatches>\(maxMatches)</tse:MaxMatches><tse:KeepAliveTime>PT30S</tse:KeepAliveTime></tse:FindRecordings>"
        case let .getRecordingSearchResults(token, maxResults):
            "<tse:GetRecordingSearchResults xmlns:tse=\"\(Self.searchNamespace)\"><tse:SearchToken>\(SOAPText.escape(token))</tse:SearchToken><tse:MinResults>1</tse:MinResults><tse:MaxResults>\(maxResults)</tse:MaxResults><tse:WaitTime>PT5S</tse:WaitTime></tse:GetRecordingSearchResults>"
        case .endSearch(let token):
            "<tse:EndSearch xmlns:tse=\"\(Self.searchNamespace)\"><tse:SearchToken>\(SOAPText.escape(token))</tse:SearchToken></tse:EndSearch>"
        }
    }

    /// The whole SOAP 1.2 envelope, with `security` (a UsernameToken header) if any.
    func envelope(security: String?) -> String {
        let header = security.map { "<s:Header>\($0)</s:Header>" } ?? ""
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">\(header)<s:Body>\(body)</s:Body></s:Envelope>"
    }
}

/// One `webhooks.routes` entry: which alerts go to which endpoint, in which
/// format and language.
public struct AlertRoute: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable, CaseIterable {
        /// The CloudEvent itself (the same JSON as the queue), HMAC-signed.
        case json
        /// Telegram Bot API `sendMessage`.
        case telegram
        /// Slack / Mattermost incoming webhook (`{"text": …}`).
        case slack
    }

    public var name: String
    /// The endpoint. For Telegram, `{token}` in it is replaced by the route's
    /// secret (the bot token), so the token lives in the secrets store only.
    public var url: String
    public var format: Format
    /// Secrets-store name: the HMAC key (json) or the bot token (telegram);
    /// its `password` is the secret.
    public var secret: String?
    /// Telegram chat id.
    public var chatID: String?
    public var kinds: Set<AlertKind>
    /// Only events of these regions / districts / schools (name or BIN); empty: all.
    public var regions: Set<String>
    public var districts: Set<String>
    public var schools: Set<String>
    public var minSeverity: AlertSeverity
    public var quietHours: QuietHours?
    public var language: Language

    public init(
        name: String, url: String, format: Format, secret: String? = nil, chatID: String? = nil,
        kinds: Set<AlertKind> = Set(AlertKind.allCases), regions: Set<String> = [], districts: Set<String> = [],
        schools: Set<String> = [], minSeverity: AlertSeverity = .info, quietHours: QuietHours? = nil,
        language: Language = .ru
    ) {
        self.name = name
        self.url = url
        self.format = format
        self.secret = secret
        self.chatID = chatID
        self.kinds = kinds
        self.regions = regions
        self.districts = districts
        self.schools = schools
        self.minSeverity = minSeverity
        self.quietHours = quietHours
        self.language = language
    }

    /// The outbox destination of this route.
    public var sink: String { "webhook:" + name }

    /// Whether `event` goes to this route.
    public func matches(_ event: CloudEvent) -> Bool {
        guard let kind = AlertKind(event), kinds.contains(kind), AlertSeverity(event) >= minSeverity else { return false }
        let (region, district, school, bin) = Self.place(of: event)
        if !regions.isEmpty, !(region.map(regions.contains) ?? false) { return false }
        if !districts.isEmpty, !(district.map(districts.contains) ?? false) { return false }
        if !schools.isEmpty {
            let named = school.map(schools.contains) ?? false
            let byBin = bin.map(schools.contains) ?? false
            if !named, !byBin { return false }
        }
        return true
    }

    /// Where an event happened; the prober has no place: a route filtered by
    /// place does not get prober events (the regional ones should ask for them
    /// on a route of their own).
    static func place(of event: CloudEvent) -> (String?, String?, String?, String?) {
        switch event.data {
        case let .camera(data): (data.camera.region, data.camera.district, data.camera.school, data.camera.schoolBin)
        case let .group(data):
            (data.region, data.district, data.level == .school ? data.name : data.school, nil)
        case .snapshot, .heartbeat, .schedule: (nil, nil, nil, nil)
        }
    }
}

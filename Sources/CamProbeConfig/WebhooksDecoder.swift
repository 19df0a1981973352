import CamProbeCore
import Yams

/// Decodes `webhooks:` strictly.
struct WebhooksDecoder {
    static let keys = [
        "routes", "ca_file", "connect_timeout", "timeout", "concurrency", "give_up_after", "digest_window",
        "digest_threshold", "reminder_after",
    ]
    static let routeKeys = [
        "name", "url", "format", "secret", "chat_id", "events", "regions", "districts", "schools", "min_severity",
        "quiet_hours", "language",
    ]

    let configPath: String
    /// The config's language: a route's default.
    let language: Language

    struct Decoded {
        var settings: WebhookSettings
        var secrets: [(String, Diagnostic.Location)]
    }

    func decode(_ map: YAMLMapping) -> Decoded {
        var settings = WebhookSettings()
        var secrets: [(String, Diagnostic.Location)] = []
        if let caFile = map.string("ca_file") {
            let resolved = ConfigFile.resolve(caFile, against: configPath)
            if FileBytes.exists(resolved) {
                settings.caFile = resolved
            } else {
                map.report("ca_file", .unreadable, "webhooks ca_file \(resolved) does not exist")
            }
        }
        for (key, path, range) in [
            ("connect_timeout", \WebhookSettings.connectTimeout, 0.1...120.0),
            ("timeout", \WebhookSettings.timeout, 0.1...300.0),
            ("give_up_after", \WebhookSettings.giveUpAfter, 60.0...(30 * 86_400.0)),
            ("digest_window", \WebhookSettings.digestWindow, 0.0...3600.0),
        ] {
            guard let value = map.number(key) else { continue }
            if range.contains(value) {
                settings[keyPath: path] = value
            } else {
                map.report(key, .invalidValue, "\(key) must be from \(range.lowerBound.numberText) to \(range.upperBound.numberText) seconds (got \(value.numberText))")
            }
        }
        if let reminder = map.number("reminder_after") {
            if reminder == 0 || (60...(30 * 86_400)).contains(reminder) {
                settings.reminderAfter = reminder
            } else {
                map.report("reminder_after", .invalidValue, "reminder_after must be 0 (off) or from 60 to 2592000 seconds (got \(reminder.numberText))")
            }
        }
        settings.concurrency = map.int("concurrency", range: 1...64) ?? settings.concurrency
        settings.digestThreshold = map.int("digest_threshold", range: 1...1000) ?? settings.digestThreshold
        var names: Set<String> = []
        for node in map.list("routes") ?? [] {
            guard let route = YAMLMapping(node, path: map.path, what: "webhook route", allowed: Self.routeKeys, log: map.log),
                let decoded = decodeRoute(route)
            else { continue }
            if !names.insert(decoded.name).inserted {
                route.report("name", .duplicateID, "webhook route '\(decoded.name)' is defined twice")
                continue
            }
            if let secret = decoded.secret { secrets.append((secret, route.location("secret"))) }
            settings.routes.append(decoded)
        }
        return Decoded(settings: settings, secrets: secrets)
    }

    private func decodeRoute(_ map: YAMLMapping) -> AlertRoute? {
        let name = map.string("name", required: true)
        let url = map.string("url", required: true)
        let format = map.choice("format", AlertRoute.Format.self) ?? .json
        guard let name, let url else { return nil }
        var route = AlertRoute(name: name, url: url, format: format)
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            map.report("url", .invalidURL, "webhook route '\(name)': url must start with https:// or http://")
            return nil
        }
        if let scheme = url.range(of: "://"), url[scheme.upperBound...].prefix(while: { $0 != "/" }).contains("@") {
            map.report("url", .credentialsInURL, "webhook route '\(name)': credentials do not belong in the URL: name them with 'secret'")
            return nil
        }
        route.secret = map.string("secret")
        route.chatID = map.string("chat_id")
        switch format {
        case .telegram:
            if route.chatID == nil { map.report(nil, .missingKey, "webhook route '\(name)': format telegram needs 'chat_id'") }
            if url.contains("{token}"), route.secret == nil {
                map.report("url", .missingKey, "webhook route '\(name)': the url has {token}: name the bot token with 'secret'")
            }
        case .json:
            if route.secret == nil {
                map.report(nil, .missingKey, "webhook route '\(name)': format json is signed: name the HMAC key with 'secret'")
            }
        case .slack:
            break
        }
        if url.contains("{token}"), format != .telegram {
            map.report("url", .invalidValue, "webhook route '\(name)': {token} is only replaced for format telegram")
        }
        if let events = map.list("events") {
            var kinds: Set<AlertKind> = []
            for item in events {
                guard let text = item.plainScalar, let kind = AlertKind(rawValue: text.lowercased()) else {
                    map.report(at: item, .invalidValue, "webhook route '\(name)': events must be among \(AlertKind.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(item.plainScalar ?? item.kindName)')")
                    continue
                }
                kinds.insert(kind)
            }
            route.kinds = kinds
        }
        route.regions = strings(map, "regions")
        route.districts = strings(map, "districts")
        route.schools = strings(map, "schools")
        route.minSeverity = map.choice("min_severity", AlertSeverity.self) ?? .info
        if let quiet = map.string("quiet_hours") {
            if let hours = QuietHours(quiet) {
                route.quietHours = hours
            } else {
                map.report("quiet_hours", .invalidValue, "webhook route '\(name)': quiet_hours must be HH:MM-HH:MM, e.g. 22:00-07:00 (got '\(quiet)')")
            }
        }
        route.language = map.choice("language", Language.self) ?? language
        return route
    }

    private func strings(_ map: YAMLMapping, _ key: String) -> Set<String> {
        Set((map.list(key) ?? []).compactMap { node in
            guard case let .scalar(scalar) = node, !scalar.string.trimmed.isEmpty else {
                map.report(at: node, .wrongType, "\(key): expected a name, found \(node.kindName)")
                return nil
            }
            return scalar.string.trimmed
        })
    }
}

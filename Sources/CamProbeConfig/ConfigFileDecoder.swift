import CamProbeCore
import Yams

/// Decodes `camprobe.yaml` strictly; keeps the positions of the paths it names
/// so that a missing inventory or an open secrets file is reported where it is named.
struct ConfigFileDecoder {
    struct Decoded {
        var config: ConfigFile
        var inventoryLocations: [Diagnostic.Location]
        var secretsLocation: Diagnostic.Location
        /// Secrets the config file itself names (queue credentials, webhook
        /// secrets), with where, to check once the secrets are loaded.
        var namedSecrets: [(name: String, location: Diagnostic.Location)] = []
        var profilesLocation: Diagnostic.Location
    }

    static let keys = ["instance", "language", "inventory", "secrets", "profiles", "probe", "daemon", "events", "queue", "webhooks", "snapshots"]
    static let eventsKeys = ["outbox_limit", "snapshot_interval", "heartbeat_interval"]
    static let queueKeys = [
        "url", "credentials", "exchange", "queue", "ca_file", "verify_hostname", "heartbeat", "confirm_timeout",
        "connect_timeout", "batch",
    ]
    static let daemonKeys = [
        "state_dir", "status_socket", "status_group", "metrics_address", "retention_days", "max_concurrent_probes",
        "sessions_per_host", "failures_to_down", "successes_to_recover", "lag_warning",
    ]
    static let probeKeys = ["window", "timeout", "transport", "rtsp_client", "concurrency"]
    static let inventoryExtensions = [".yaml", ".yml", ".csv"]

    let hostName: String
    let log: DiagnosticLog

    func decode(_ document: YAMLDocument) -> Decoded? {
        let path = document.path
        guard let root = document.root else {
            log.add(path, .file, .missingKey, "the file is empty (it needs at least 'inventory')")
            return nil
        }
        guard let map = YAMLMapping(root, path: path, what: "the config", allowed: Self.keys, log: log) else { return nil }
        var config = ConfigFile(path: path, instance: map.string("instance") ?? hostName, inventory: [])
        config.language = map.choice("language", Language.self) ?? ConfigDefaults.language
        var inventoryLocations: [Diagnostic.Location] = []
        for (text, node) in inventoryEntries(map) {
            guard Self.inventoryExtensions.contains(where: { text.lowercased().hasSuffix($0) }) else {
                map.report(at: node, .invalidValue, "inventory file '\(text)' must end in .yaml, .yml or .csv")
                continue
            }
            config.inventory.append(ConfigFile.resolve(text, against: path))
            inventoryLocations.append(node.location)
        }
        config.secrets = map.string("secrets").map { ConfigFile.resolve($0, against: path) }
        config.profiles = map.string("profiles").map { ConfigFile.resolve($0, against: path) }
        if let probe = map.mapping("probe", what: "probe", allowed: Self.probeKeys) {
            config.probe = decodeProbe(probe)
        }
        if let daemon = map.mapping("daemon", what: "daemon", allowed: Self.daemonKeys) {
            config.daemon = decodeDaemon(daemon, configPath: path)
        }
        if let events = map.mapping("events", what: "events", allowed: Self.eventsKeys) {
            config.events = decodeEvents(events)
        }
        config.snapshots = map.onOff("snapshots") ?? config.snapshots
        var namedSecrets: [(String, Diagnostic.Location)] = []
        if let queue = map.mapping("queue", what: "queue", allowed: Self.queueKeys) {
            config.queue = decodeQueue(queue, configPath: path)
            if let name = config.queue?.credentials { namedSecrets.append((name, queue.location("credentials"))) }
        }
        if let webhooks = map.mapping("webhooks", what: "webhooks", allowed: WebhooksDecoder.keys) {
            let decoded = WebhooksDecoder(configPath: path, language: config.language).decode(webhooks)
            config.webhooks = decoded.settings
            namedSecrets += decoded.secrets
        }
        var decoded = Decoded(
            config: config, inventoryLocations: inventoryLocations, secretsLocation: map.location("secrets"),
            profilesLocation: map.location("profiles"))
        decoded.namedSecrets = namedSecrets
        return decoded
    }

    /// `inventory:` is a list of files, or one file.
    private func inventoryEntries(_ map: YAMLMapping) -> [(String, Node)] {
        guard let node = map.value("inventory") else {
            map.report(nil, .missingKey, "missing key 'inventory' in the config (a list of inventory files)")
            return []
        }
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case let .sequence(sequence): items = Array(sequence)
        default:
            map.report(at: node, .wrongType, "inventory: expected a list of files, found \(node.kindName)")
            return []
        }
        if items.isEmpty { map.report(at: node, .invalidValue, "inventory: the list of files is empty") }
        return items.compactMap { item in
            guard case let .scalar(scalar) = item, !item.isNull, !scalar.string.trimmed.isEmpty else {
                map.report(at: item, .wrongType, "inventory: expected a file name, found \(item.kindName)")
                return nil
            }
            return (scalar.string.trimmed, item)
        }
    }

    private func decodeProbe(_ map: YAMLMapping) -> ConfigFile.ProbeSettings {
        var settings = ConfigDefaults.probe
        if let window = map.number("window") {
            if window > 0, window <= ConfigDefaults.probeWindow.upperBound {
                settings.window = window
            } else {
                map.report("window", .invalidValue, "window must be more than 0 and at most \(Int(ConfigDefaults.probeWindow.upperBound)) seconds (got \(window.numberText))")
            }
        }
        if let timeout = map.number("timeout") {
            if timeout > 0, timeout <= ConfigDefaults.probeTimeout.upperBound {
                settings.timeout = timeout
            } else {
                map.report("timeout", .invalidValue, "timeout must be more than 0 and at most \(Int(ConfigDefaults.probeTimeout.upperBound)) seconds (got \(timeout.numberText))")
            }
        }
        settings.transport = map.choice("transport", ProbeOptions.Transport.self) ?? settings.transport
        settings.rtspClient = map.choice("rtsp_client", ProbeOptions.RTSPClient.self) ?? settings.rtspClient
        settings.concurrency = map.int("concurrency", range: ConfigDefaults.probeConcurrency) ?? settings.concurrency
        return settings
    }
}

extension ConfigFileDecoder {
    private func decodeDaemon(_ map: YAMLMapping, configPath: String) -> ConfigFile.DaemonSettings {
        var settings = ConfigDefaults.daemon
        if let dir = map.string("state_dir") { settings.stateDir = ConfigFile.resolve(dir, against: configPath) }
        if let socket = map.string("status_socket") { settings.statusSocket = ConfigFile.resolve(socket, against: configPath) }
        settings.statusGroup = map.string("status_group") ?? settings.statusGroup
        if let address = map.string("metrics_address") {
            if address.isEmpty || address == "off" {
                settings.metricsAddress = ""
            } else if Self.isHostPort(address) {
                settings.metricsAddress = address
            } else {
                map.report("metrics_address", .invalidValue, "metrics_address must be HOST:PORT, e.g. 127.0.0.1:9464 (got '\(address)')")
            }
        }
        settings.retentionDays = map.int("retention_days", range: ConfigDefaults.retentionDays) ?? settings.retentionDays
        if map.value("max_concurrent_probes")?.plainScalar == "auto" {
            settings.maxConcurrentProbes = nil
        } else if let limit = map.int("max_concurrent_probes", range: ConfigDefaults.probeConcurrency) {
            settings.maxConcurrentProbes = limit
        }
        settings.sessionsPerHost = map.int("sessions_per_host", range: ConfigDefaults.sessionsPerHost) ?? settings.sessionsPerHost
        settings.failuresToDown = map.int("failures_to_down", range: ConfigDefaults.hysteresis) ?? settings.failuresToDown
        settings.successesToRecover = map.int("successes_to_recover", range: ConfigDefaults.hysteresis) ?? settings.successesToRecover
        if let lag = map.number("lag_warning") {
            if ConfigDefaults.lagWarning.contains(lag) {
                settings.lagWarning = lag
            } else {
                map.report("lag_warning", .invalidValue, "lag_warning must be from \(Int(ConfigDefaults.lagWarning.lowerBound)) to \(Int(ConfigDefaults.lagWarning.upperBound)) seconds (got \(lag.numberText))")
            }
        }
        return settings
    }

    private func decodeEvents(_ map: YAMLMapping) -> EventSettings {
        var settings = EventSettings()
        settings.outboxLimit = map.int("outbox_limit", range: ConfigDefaults.outboxLimit) ?? settings.outboxLimit
        if let interval = map.number("snapshot_interval") {
            if interval == 0 || ConfigDefaults.snapshotInterval.contains(interval) {
                settings.snapshotInterval = interval
            } else {
                map.report("snapshot_interval", .invalidValue, "snapshot_interval must be 0 (off) or from \(Int(ConfigDefaults.snapshotInterval.lowerBound)) to \(Int(ConfigDefaults.snapshotInterval.upperBound)) seconds (got \(interval.numberText))")
            }
        }
        if let interval = map.number("heartbeat_interval") {
            if interval == 0 || ConfigDefaults.heartbeatInterval.contains(interval) {
                settings.heartbeatInterval = interval
            } else {
                map.report("heartbeat_interval", .invalidValue, "heartbeat_interval must be 0 (off) or from \(Int(ConfigDefaults.heartbeatInterval.lowerBound)) to \(Int(ConfigDefaults.heartbeatInterval.upperBound)) seconds (got \(interval.numberText))")
            }
        }
        return settings
    }

    private func decodeQueue(_ map: YAMLMapping, configPath: String) -> QueueSettings? {
        let url = map.string("url", required: true)
        let credentials = map.string("credentials", required: true)
        guard let url, let credentials else { return nil }
        let parts: (QueueSettings.Scheme, String, Int, String)
        switch QueueSettings.parse(url: url) {
        case let .success(value): parts = value
        case let .failure(error):
            map.report("url", .invalidURL, "queue url '\(Self.redacted(url))': \(error.reason)")
            return nil
        }
        var settings = QueueSettings(
            url: url, scheme: parts.0, host: parts.1, port: parts.2, virtualHost: parts.3, credentials: credentials)
        settings.exchange = map.string("exchange") ?? settings.exchange
        settings.queue = map.string("queue")
        if let caFile = map.string("ca_file") {
            let resolved = ConfigFile.resolve(caFile, against: configPath)
            if FileBytes.exists(resolved) {
                settings.caFile = resolved
            } else {
                map.report("ca_file", .unreadable, "queue ca_file \(resolved) does not exist")
            }
        }
        settings.verifyHostname = map.bool("verify_hostname") ?? settings.verifyHostname
        settings.heartbeat = map.int("heartbeat", range: 0...3600) ?? settings.heartbeat
        settings.batch = map.int("batch", range: 1...10_000) ?? settings.batch
        for (key, path) in [("confirm_timeout", \QueueSettings.confirmTimeout), ("connect_timeout", \QueueSettings.connectTimeout)] {
            guard let value = map.number(key) else { continue }
            if value > 0, value <= 300 {
                settings[keyPath: path] = value
            } else {
                map.report(key, .invalidValue, "\(key) must be more than 0 and at most 300 seconds (got \(value.numberText))")
            }
        }
        return settings
    }

    /// A URL as logs may show it: any `user:password@` replaced by `***@`.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + "***" + String(url[at...])
    }

    /// `HOST:PORT` or `[IPv6]:PORT` with a port from 1 to 65535.
    static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port) else { return false }
        return colon > text.startIndex
    }
}

extension Double {
    /// `25` rather than `25.0`, `0.5` as is: numbers as the operator wrote them.
    var numberText: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        return String(self)
    }
}

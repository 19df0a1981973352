import CamProbeCore

extension YAMLMapping {
    static let archiveKeys = ["method", "playback", "playback_template", "interval", "window", "onvif_port"]

    /// A recorder's `archive:` mapping, every key optional (defaults: ``ArchiveSettings``).
    func archiveSettings(vendor: RecorderVendor?) -> ArchiveSettings? {
        let defaults = ArchiveSettings()
        guard has("archive") else { return defaults }
        guard let map = mapping("archive", what: "archive", allowed: Self.archiveKeys) else { return nil }
        var valid = true
        func check<Value>(_ key: String, _ value: Value?) -> Value? {
            if value == nil, map.has(key) { valid = false }
            return value
        }
        let method = check("method", map.choice("method", ArchiveMethod.self))
        let playback = check("playback", map.choice("playback", PlaybackVendor.self))
        let template = check("playback_template", map.string("playback_template"))
        let port = check("onvif_port", map.int("onvif_port", range: 1...65535))
        var interval = check("interval", map.number("interval"))
        if let value = interval, !ConfigDefaults.archiveInterval.contains(value) {
            map.report("interval", .invalidValue, "archive interval must be from \(Int(ConfigDefaults.archiveInterval.lowerBound)) to \(Int(ConfigDefaults.archiveInterval.upperBound)) seconds (got \(value.numberText))")
            interval = nil
            valid = false
        }
        var window: NightWindow?
        if let text = check("window", map.string("window")) {
            window = NightWindow(text)
            if window == nil {
                map.report("window", .invalidValue, "archive window must be HH:MM-HH:MM, like 01:00-05:00 (got '\(text)')")
                valid = false
            }
        }
        valid = playbackTemplateValid(map, playback: playback, template: template, vendor: vendor) && valid
        guard valid else { return nil }
        return ArchiveSettings(
            method: method ?? defaults.method, playback: playback, playbackTemplate: template,
            interval: interval ?? defaults.interval, window: window ?? defaults.window, onvifPort: port ?? defaults.onvifPort)
    }

    /// `playback_template` only with `playback: custom` (or a custom recorder), which needs it;
    /// it holds `{channel}` and `{start}`.
    private func playbackTemplateValid(
        _ map: YAMLMapping, playback: PlaybackVendor?, template: String?, vendor: RecorderVendor?
    ) -> Bool {
        let custom = playback == .custom || (playback == nil && (vendor == .custom || vendor == .xmeye))
        guard let template else {
            if playback == .custom {
                map.report("playback", .missingKey, "archive playback custom needs a 'playback_template' (placeholders {host} {port} {channel} {start} {end})")
                return false
            }
            return true
        }
        guard custom else {
            map.report("playback_template", .invalidValue, "playback_template is only for playback custom (\(playback?.rawValue ?? vendor?.rawValue ?? "this vendor") has its own playback URL)")
            return false
        }
        for needed in ["{channel}", "{start}"] where !template.contains(needed) {
            map.report("playback_template", .invalidValue, "playback_template must contain \(needed)")
            return false
        }
        return true
    }
}

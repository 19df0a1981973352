import CamProbeCore
import Yams

/// One camera or recorder of an inventory, from a YAML mapping or a CSV row.
/// Both formats are read through this one interface, so one builder
/// (`InventoryBuilder`) validates them the same way and with the same messages.
protocol InventoryEntry {
    /// Where a problem with `key` is (the whole entry for nil).
    func location(_ key: String?) -> Diagnostic.Location
    func report(_ key: String?, _ code: Diagnostic.Code, _ message: String)
    /// `inventory.yaml:12:7`, for "first defined at".
    func position(_ key: String?) -> String
    func has(_ key: String) -> Bool
    func string(_ key: String, required: Bool) -> String?
    func int(_ key: String, required: Bool, range: ClosedRange<Int>?) -> Int?
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool) -> E?
    where E.RawValue == String
    /// `locations`: channel number → label, channels checked against 1…`channels`.
    func channelLocations(channels: Int?) -> [Int: String]
    /// `overrides`, with where each written key is.
    func overrides() -> WrittenOverrides
    /// `archive`: how and when the recorder's archive is measured; nil when invalid
    /// (already reported).
    func archiveSettings(vendor: RecorderVendor?) -> ArchiveSettings?
    func report(at location: Diagnostic.Location, _ code: Diagnostic.Code, _ message: String)
}

/// A camera's or recorder's `overrides`, and where each key was written.
struct WrittenOverrides {
    var values = PolicyOverrides()
    var locations: [String: Diagnostic.Location] = [:]
}

enum InventoryKeys {
    static let camera = [
        "id", "region", "district", "school", "school_bin", "location", "kind", "url", "sub_url", "credentials",
        "profile", "overrides",
    ]
    static let recorder = [
        "id", "region", "district", "school", "school_bin", "host", "port", "vendor", "channels", "kind",
        "credentials", "profile", "locations", "template", "sub_template", "overrides", "archive",
    ]
    static let overrides = [
        "min_width", "min_height", "min_frame_rate", "warn_frame_rate", "max_keyframe_interval", "check_frozen",
        "check_blurred", "interval",
    ]
}

extension YAMLMapping: InventoryEntry {
    func report(at location: Diagnostic.Location, _ code: Diagnostic.Code, _ message: String) {
        log.add(path, location, code, message)
    }

    func channelLocations(channels: Int?) -> [Int: String] {
        guard let map = mapping("locations", what: "locations", allowed: nil) else { return [:] }
        var locations: [Int: String] = [:]
        for entry in map.entries {
            guard let channel = Int(entry.key), channel >= 1 else {
                map.report(at: entry.keyNode, .invalidValue, "locations: '\(entry.key)' is not a channel number")
                continue
            }
            if let channels, channel > channels {
                map.report(at: entry.keyNode, .invalidValue, "locations: channel \(channel) is beyond the recorder's \(channels) channels")
                continue
            }
            guard case let .scalar(scalar) = entry.value, !entry.value.isNull, !scalar.string.trimmed.isEmpty else {
                map.report(at: entry.value, .wrongType, "locations: channel \(channel): expected a label, found \(entry.value.kindName)")
                continue
            }
            locations[channel] = scalar.string.trimmed
        }
        return locations
    }

    func overrides() -> WrittenOverrides {
        var written = WrittenOverrides()
        guard let map = mapping("overrides", what: "overrides", allowed: InventoryKeys.overrides) else { return written }
        written.values = PolicyOverrides(
            minWidth: map.int("min_width"), minHeight: map.int("min_height"),
            minFrameRate: map.number("min_frame_rate"), warnFrameRate: map.number("warn_frame_rate"),
            maxKeyframeInterval: map.number("max_keyframe_interval"), checkFrozen: map.bool("check_frozen"),
            checkBlurred: map.bool("check_blurred"), interval: map.number("interval"))
        for entry in map.entries where map.has(entry.key) {
            written.locations[entry.key] = entry.value.location
        }
        return written
    }
}

/// One CSV row, its fields by column.
struct CSVEntry: InventoryEntry {
    let path: String
    let record: CSVTable.Record
    /// Key → field index.
    let columns: [String: Int]
    /// Key → the column's name as the header writes it (`школа`), for messages.
    let headerNames: [String: String]
    let log: DiagnosticLog

    func location(_ key: String?) -> Diagnostic.Location {
        .csv(row: record.row, column: key.map { headerNames[$0] ?? $0 })
    }

    func report(_ key: String?, _ code: Diagnostic.Code, _ message: String) {
        log.add(path, location(key), code, message)
    }

    func report(at location: Diagnostic.Location, _ code: Diagnostic.Code, _ message: String) {
        log.add(path, location, code, message)
    }

    func position(_ key: String?) -> String {
        "\(path):row \(record.row)"
    }

    /// The field, trimmed; nil when empty or absent.
    func field(_ key: String) -> String? {
        guard let index = columns[key], index < record.fields.count else { return nil }
        let text = record.fields[index].trimmed
        return text.isEmpty ? nil : text
    }

    func has(_ key: String) -> Bool { field(key) != nil }

    func string(_ key: String, required: Bool) -> String? {
        guard let text = field(key) else {
            if required { report(key, .missingKey, "missing value") }
            return nil
        }
        return text
    }

    func int(_ key: String, required: Bool, range: ClosedRange<Int>?) -> Int? {
        guard let text = string(key, required: required) else { return nil }
        guard let number = Int(text) else {
            report(key, .wrongType, "expected a whole number, found '\(text)'")
            return nil
        }
        if let range, !range.contains(number) {
            report(key, .invalidValue, "\(key) must be from \(range.lowerBound) to \(range.upperBound) (got \(number))")
            return nil
        }
        return number
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool) -> E?
    where E.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        guard let value = E(rawValue: text.lowercased()) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            report(key, .invalidValue, "\(key) must be one of \(allowed) (got '\(text)')")
            return nil
        }
        return value
    }

    /// `1=Главный вход|2=Коридор`.
    func channelLocations(channels: Int?) -> [Int: String] {
        guard let text = field("locations") else { return [:] }
        var locations: [Int: String] = [:]
        for item in text.split(separator: "|") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let channel = Int(String(parts[0]).trimmed), channel >= 1,
                !String(parts[1]).trimmed.isEmpty
            else {
                report("locations", .invalidValue, "locations must be like 1=Главный вход|2=Коридор (got '\(String(item).trimmed)')")
                continue
            }
            if let channels, channel > channels {
                report("locations", .invalidValue, "locations: channel \(channel) is beyond the recorder's \(channels) channels")
                continue
            }
            locations[channel] = String(parts[1]).trimmed
        }
        return locations
    }

    /// CSV inventories have no overrides (a profile is one column away).
    func overrides() -> WrittenOverrides { WrittenOverrides() }

    /// CSV recorders measure their archive with the defaults.
    func archiveSettings(vendor: RecorderVendor?) -> ArchiveSettings? { ArchiveSettings() }
}

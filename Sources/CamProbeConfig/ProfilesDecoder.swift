import CamProbeCore
import Yams

/// Decodes a profiles file: a mapping of profile name → `PolicyProfile` fields
/// in snake case, each optional.
///
/// A profile starts from the profile it `extends`; without `extends`, from the
/// built-in of the same name if there is one (so `analog-dvr: {min_width: 720}`
/// changes only the width), else from `PolicyProfile`'s defaults (the
/// `digital-main` values). `digital-main` and `analog-dvr` always exist.
struct ProfilesDecoder {
    static let keys = [
        "description", "extends", "codecs", "min_width", "min_height", "min_frame_rate", "warn_frame_rate",
        "max_keyframe_interval", "min_bitrate", "warn_clock_skew", "max_clock_skew", "check_black", "check_uniform",
        "check_frozen", "check_blurred", "picture", "flag_analog", "interval", "min_archive_days", "max_archive_gap",
        "max_archive_clock_offset",
    ]
    static let pictureKeys = [
        "black_share", "uniform_spread", "no_signal_flat_share", "frozen_difference", "frozen_change", "static_frame_bytes",
        "blurred_sharpness",
    ]

    struct Result {
        var profiles: [String: PolicyProfile]
        /// Profiles the file defines but that could not be built (a cycle, an
        /// unknown parent): already reported, so references to them are not.
        var broken: Set<String>
    }

    /// One profile as written: where it is, what it extends, what it changes.
    private struct Patch {
        let name: String
        let map: YAMLMapping
        var extends: String?
        /// Written keys → where (`picture.black_share` for nested keys).
        var locations: [String: Diagnostic.Location] = [:]
        var changes: [(inout PolicyProfile) -> Void] = []
    }

    let log: DiagnosticLog

    func decode(_ document: YAMLDocument?) -> Result {
        var result = Result(profiles: ConfigDefaults.profiles, broken: [])
        guard let document, let root = document.root,
            let top = YAMLMapping(root, path: document.path, what: "the profiles file", allowed: nil, log: log)
        else { return result }
        var patches: [String: Patch] = [:]
        var order: [String] = []
        for entry in top.entries {
            guard !entry.key.isEmpty, !entry.key.contains(where: \.isWhitespace) else {
                top.report(at: entry.keyNode, .invalidValue, "profile name '\(entry.key)' must be one word without spaces")
                continue
            }
            guard let map = YAMLMapping(entry.value, path: document.path, what: "profile '\(entry.key)'", allowed: Self.keys, log: log)
            else {
                result.broken.insert(entry.key)
                continue
            }
            patches[entry.key] = patch(entry.key, map)
            order.append(entry.key)
        }
        var resolver = Resolver(patches: patches, log: log)
        for name in order {
            if let profile = resolver.resolve(name) {
                result.profiles[name] = profile
            } else {
                result.broken.insert(name)
            }
        }
        return result
    }

    private func patch(_ name: String, _ map: YAMLMapping) -> Patch {
        var patch = Patch(name: name, map: map)
        patch.extends = map.string("extends")
        for entry in map.entries where map.has(entry.key) {
            patch.locations[entry.key] = entry.value.location
        }
        func set<Value>(_ key: String, _ value: Value?, _ keyPath: WritableKeyPath<PolicyProfile, Value>) {
            guard let value else { return }
            patch.changes.append { $0[keyPath: keyPath] = value }
        }
        if let description = map.string("description") {
            patch.changes.append { $0.description = description }
        }
        set("codecs", codecs(map), \.codecs)
        set("min_width", map.int("min_width"), \.minWidth)
        set("min_height", map.int("min_height"), \.minHeight)
        set("min_frame_rate", map.number("min_frame_rate"), \.minFrameRate)
        set("warn_frame_rate", map.number("warn_frame_rate"), \.warnFrameRate)
        set("max_keyframe_interval", map.number("max_keyframe_interval"), \.maxKeyframeInterval)
        set("min_bitrate", map.number("min_bitrate"), \.minBitrate)
        set("warn_clock_skew", map.number("warn_clock_skew"), \.warnClockSkew)
        set("max_clock_skew", map.number("max_clock_skew"), \.maxClockSkew)
        set("check_black", map.bool("check_black"), \.checkBlack)
        set("check_uniform", map.bool("check_uniform"), \.checkUniform)
        set("check_frozen", map.bool("check_frozen"), \.checkFrozen)
        set("check_blurred", map.bool("check_blurred"), \.checkBlurred)
        set("flag_analog", map.bool("flag_analog"), \.flagAnalog)
        set("interval", map.number("interval"), \.interval)
        set("min_archive_days", map.number("min_archive_days"), \.archive.minDays)
        set("max_archive_gap", map.number("max_archive_gap"), \.archive.maxGap)
        set("max_archive_clock_offset", map.number("max_archive_clock_offset"), \.archive.maxClockOffset)
        if let picture = map.mapping("picture", what: "picture of profile '\(name)'", allowed: Self.pictureKeys) {
            for entry in picture.entries where picture.has(entry.key) {
                patch.locations["picture." + entry.key] = entry.value.location
            }
            set("picture.black_share", picture.number("black_share"), \.picture.blackShare)
            set("picture.uniform_spread", picture.number("uniform_spread"), \.picture.uniformSpread)
            set("picture.no_signal_flat_share", picture.number("no_signal_flat_share"), \.picture.noSignalFlatShare)
            set("picture.frozen_difference", picture.number("frozen_difference"), \.picture.frozenDifference)
            set("picture.frozen_change", picture.number("frozen_change"), \.picture.frozenChange)
            set("picture.static_frame_bytes", picture.number("static_frame_bytes"), \.picture.staticFrameBytes)
            set("picture.blurred_sharpness", picture.number("blurred_sharpness"), \.picture.blurredSharpness)
        }
        return patch
    }

    /// FFmpeg codec names, each checked against the known ones.
    private func codecs(_ map: YAMLMapping) -> [String]? {
        guard let items = map.list("codecs") else { return nil }
        var codecs: [String] = []
        var valid = true
        for item in items {
            guard case let .scalar(scalar) = item, !item.isNull else {
                map.report(at: item, .wrongType, "codecs: expected a codec name, found \(item.kindName)")
                valid = false
                continue
            }
            let name = ConfigDefaults.codecAliases[scalar.string.trimmed.lowercased()] ?? scalar.string.trimmed.lowercased()
            guard ConfigDefaults.knownCodecs.contains(name) else {
                map.report(at: item, .invalidValue, "unknown codec '\(scalar.string)' (known: \(ConfigDefaults.knownCodecs.joined(separator: ", ")))")
                valid = false
                continue
            }
            codecs.append(name)
        }
        return valid ? codecs : nil
    }

    /// Builds profiles in `extends` order, once each, reporting cycles once.
    private struct Resolver {
        let patches: [String: Patch]
        let log: DiagnosticLog
        var done: [String: PolicyProfile?] = [:]
        var reportedCycles: Set<Set<String>> = []

        init(patches: [String: Patch], log: DiagnosticLog) {
            self.patches = patches
            self.log = log
        }

        mutating func resolve(_ name: String) -> PolicyProfile? {
            resolve(name, chain: [])
        }

        private mutating func resolve(_ name: String, chain: [String]) -> PolicyProfile? {
            if let known = done[name] { return known }
            guard let patch = patches[name] else { return ConfigDefaults.profiles[name] }
            if let start = chain.firstIndex(of: name) {
                let cycle = Array(chain[start...])
                if reportedCycles.insert(Set(cycle)).inserted, let first = patches[cycle[0]] {
                    let path = (cycle + [cycle[0]]).joined(separator: " → ")
                    first.map.report("extends", .profileCycle, "profile '\(cycle[0])' extends itself: \(path)")
                }
                return nil
            }
            let base: PolicyProfile
            if let parent = patch.extends {
                guard patches[parent] != nil || ConfigDefaults.profiles[parent] != nil else {
                    let known = Set(patches.keys).union(ConfigDefaults.profiles.keys).sorted().joined(separator: ", ")
                    patch.map.report("extends", .unknownProfile, "profile '\(name)' extends unknown profile '\(parent)' (known: \(known))")
                    done[name] = .some(nil)
                    return nil
                }
                guard let resolved = resolve(parent, chain: chain + [name]) else {
                    done[name] = .some(nil)
                    return nil
                }
                base = resolved
            } else {
                base = ConfigDefaults.profiles[name] ?? PolicyProfile(name: name)
            }
            var profile = base
            profile.name = name
            if base.name != name { profile.description = nil }
            for change in patch.changes { change(&profile) }
            for problem in ProfileValidator.problems(profile, writtenKeys: Set(patch.locations.keys)) {
                log.add(patch.map.path, patch.locations[problem.key] ?? patch.map.node.location, .impossibleThreshold, problem.message)
            }
            done[name] = .some(profile)
            return profile
        }
    }
}

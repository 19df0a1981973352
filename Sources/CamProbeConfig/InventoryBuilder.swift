import CamProbeCore

/// Turns inventory entries (YAML or CSV) into cameras: validates every field,
/// expands recorders into one camera per channel, and keeps camera ids unique
/// across all inventory files.
struct InventoryBuilder {
    let profiles: ProfilesDecoder.Result
    var secrets: SecretsResolver
    let log: DiagnosticLog
    private(set) var cameras: [Camera] = []
    private(set) var recorders: [Recorder] = []
    /// Id → where it was first defined.
    private var cameraIDs: [String: String] = [:]
    private var recorderIDs: [String: String] = [:]

    init(profiles: ProfilesDecoder.Result, secrets: SecretsResolver, log: DiagnosticLog) {
        self.profiles = profiles
        self.secrets = secrets
        self.log = log
    }

    private struct Place {
        var region: String
        var district: String
        var school: School
    }

    mutating func addCamera(_ entry: some InventoryEntry) {
        let id = identifier(entry)
        let place = place(entry)
        let kind = entry.choice("kind", CameraKind.self, required: false) ?? ConfigDefaults.cameraKind
        let location = entry.string("location", required: false)
        let credentials = credentials(entry)
        let main = streamURL(entry, "url", required: true, credentials: credentials)
        let sub = streamURL(entry, "sub_url", required: false, credentials: credentials)
        let profile = profile(entry, kind: kind)
        let overrides = overrides(entry, profile: profile)
        guard let id, claimCamera(id, entry) else { return }
        guard let place, let main else { return }
        cameras.append(
            Camera(
                id: id, region: place.region, district: place.district, school: place.school, location: location,
                kind: kind, mainStream: main, subStream: sub, credentials: credentials, profile: profile.name,
                overrides: overrides))
    }

    mutating func addRecorder(_ entry: some InventoryEntry) {
        let id = identifier(entry)
        let place = place(entry)
        let host = host(entry)
        let port = entry.int("port", required: false, range: 1...65535) ?? ConfigDefaults.recorderPort
        let vendor = entry.choice("vendor", RecorderVendor.self, required: true)
        let channels = entry.int("channels", required: true, range: ConfigDefaults.recorderChannels)
        let kind = entry.choice("kind", CameraKind.self, required: false) ?? ConfigDefaults.recorderKind
        let credentials = credentials(entry)
        let locations = entry.channelLocations(channels: channels)
        let profile = profile(entry, kind: kind)
        let overrides = overrides(entry, profile: profile)
        let written = vendor.flatMap { templates(entry, vendor: $0) }
        let archive = entry.archiveSettings(vendor: vendor)
        guard let id, claimRecorder(id, entry) else { return }
        guard let place, let host, let vendor, let channels, let written, let archive else { return }
        let recorder = Recorder(
            id: id, region: place.region, district: place.district, school: place.school, host: host, port: port,
            vendor: vendor, channels: channels, kind: kind, credentials: credentials, profile: profile.name,
            locations: locations, template: written.main, subTemplate: written.sub, overrides: overrides,
            archive: archive)
        guard let mainTemplate = recorder.mainTemplate else { return }
        // The host is the only free part of a vendor's URL: check the URL it makes.
        do throws(ProbeFailure) {
            _ = try StreamAddress.validateInventoryURL(recorder.streamURL(template: mainTemplate, channel: 1))
        } catch {
            entry.report(written.main == nil ? "host" : "template", .invalidURL, "the recorder's stream URL would not work: \(error.message)")
            return
        }
        if StreamAddress.hasPlaceholders(mainTemplate), credentials == nil {
            entry.report(
                nil, .missingKey,
                "recorder '\(id)': vendor \(vendor.rawValue) puts the credentials in the URL, so it needs 'credentials'")
        }
        recorders.append(recorder)
        for camera in recorder.cameras() {
            if let first = cameraIDs[camera.id] {
                entry.report("id", .duplicateID, "camera id '\(camera.id)' of recorder '\(id)' is already used (first defined at \(first))")
                continue
            }
            cameraIDs[camera.id] = entry.position("id")
            cameras.append(camera)
        }
    }

    // MARK: Fields

    private func identifier(_ entry: some InventoryEntry) -> String? {
        guard let id = entry.string("id", required: true) else { return nil }
        let plainASCII = id.utf8.allSatisfy { (0x21..<0x7F).contains($0) }
        guard plainASCII || !id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) else {
            entry.report("id", .invalidValue, "id '\(id)' must not contain spaces or line breaks")
            return nil
        }
        return id
    }

    private func place(_ entry: some InventoryEntry) -> Place? {
        let region = entry.string("region", required: true)
        let district = entry.string("district", required: true)
        let school = entry.string("school", required: true)
        var bin = entry.string("school_bin", required: false)
        if let text = bin, let problem = SchoolBIN.problem(text) {
            entry.report("school_bin", .invalidBIN, problem)
            bin = nil
        }
        guard let region, let district, let school else { return nil }
        return Place(region: region, district: district, school: School(name: school, bin: bin))
    }

    private mutating func credentials(_ entry: some InventoryEntry) -> String? {
        guard let name = entry.string("credentials", required: false) else { return nil }
        if !secrets.contains(name) {
            entry.report("credentials", .missingSecret, secrets.missingMessage(name))
        }
        return name
    }

    /// A stream URL as the inventory writes it: no credentials, perhaps
    /// `{user}`/`{password}` placeholders. Only its redacted form is ever printed.
    private func streamURL(_ entry: some InventoryEntry, _ key: String, required: Bool, credentials: String?) -> String? {
        guard let text = entry.string(key, required: required) else { return nil }
        do throws(ProbeFailure) {
            _ = try StreamAddress.validateInventoryURL(text)
        } catch {
            if StreamAddress.holdsCredentials(text) {
                let redacted = (try? StreamURL(parsing: text).redacted) ?? "***"
                entry.report(key, .credentialsInURL, "\(key) holds credentials (\(redacted)): credentials belong in the secrets file, named by 'credentials'")
            } else {
                entry.report(key, .invalidURL, "\(key) is not a stream URL: \(error.message)")
            }
            return nil
        }
        if StreamAddress.hasPlaceholders(text), credentials == nil {
            entry.report(key, .missingKey, "\(key) has {user}/{password} placeholders but no 'credentials' names the secret to put there")
        }
        return text
    }

    private func profile(_ entry: some InventoryEntry, kind: CameraKind) -> PolicyProfile {
        let name = entry.string("profile", required: false) ?? ConfigDefaults.profile(for: kind)
        if let profile = profiles.profiles[name] { return profile }
        if !profiles.broken.contains(name) {
            let known = profiles.profiles.keys.sorted().joined(separator: ", ")
            entry.report("profile", .unknownProfile, "unknown profile '\(name)' (known: \(known))")
        }
        return PolicyProfile(name: name)
    }

    private func overrides(_ entry: some InventoryEntry, profile: PolicyProfile) -> PolicyOverrides {
        let written = entry.overrides()
        guard !written.values.isEmpty else { return written.values }
        let problems = ProfileValidator.problems(written.values.applied(to: profile), writtenKeys: Set(written.locations.keys))
        for problem in problems {
            entry.report(at: written.locations[problem.key] ?? entry.location("overrides"), .impossibleThreshold, problem.message)
        }
        return written.values
    }

    /// Host name or address, without scheme, port, path or credentials.
    private func host(_ entry: some InventoryEntry) -> String? {
        guard var host = entry.string("host", required: true) else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.contains(where: { $0 == "/" || $0 == "@" || $0 == "?" || $0 == "#" || $0.isWhitespace }) {
            entry.report("host", .invalidValue, "host must be a host name or address only (no scheme, path or credentials)")
            return nil
        }
        if host.filter({ $0 == ":" }).count == 1 {
            entry.report("host", .invalidValue, "host must not include the port: write it in 'port'")
            return nil
        }
        return host
    }

    /// `template`/`sub_template`: only for vendor custom, which needs them.
    private func templates(_ entry: some InventoryEntry, vendor: RecorderVendor) -> (main: String?, sub: String?)? {
        let main = entry.string("template", required: false)
        let sub = entry.string("sub_template", required: false)
        guard vendor == .custom else {
            for key in ["template", "sub_template"] where entry.has(key) {
                entry.report(key, .invalidValue, "\(key) is only for vendor custom (vendor \(vendor.rawValue) has its own URLs)")
            }
            return main == nil && sub == nil ? (nil, nil) : nil
        }
        guard let main else {
            entry.report("vendor", .missingKey, "vendor custom needs a 'template' (placeholders {host} {port} {channel} {user} {password})")
            return nil
        }
        var valid = true
        for (key, template) in [("template", main), ("sub_template", sub)] {
            guard let template else { continue }
            let allowed = ["{host}", "{port}", "{channel}", "{user}", "{password}"]
            if let unknown = placeholders(template).first(where: { !allowed.contains($0) }) {
                entry.report(key, .invalidValue, "\(key): unknown placeholder \(unknown) (allowed: \(allowed.joined(separator: " ")))")
                valid = false
            } else if !template.contains("{channel}") {
                entry.report(key, .invalidValue, "\(key) must contain {channel}: every channel would get the same URL")
                valid = false
            }
        }
        return valid ? (main, sub) : nil
    }

    private func placeholders(_ text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            found.append(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    // MARK: Ids

    private mutating func claimCamera(_ id: String, _ entry: some InventoryEntry) -> Bool {
        if let first = cameraIDs[id] {
            entry.report("id", .duplicateID, "duplicate camera id '\(id)' (first defined at \(first))")
            return false
        }
        cameraIDs[id] = entry.position("id")
        return true
    }

    private mutating func claimRecorder(_ id: String, _ entry: some InventoryEntry) -> Bool {
        if let first = recorderIDs[id] {
            entry.report("id", .duplicateID, "duplicate recorder id '\(id)' (first defined at \(first))")
            return false
        }
        recorderIDs[id] = entry.position("id")
        return true
    }
}

import CamProbeCore
import Yams

/// Loads the secrets a configuration needs, from two places:
///
/// 1. the secrets file (`secrets:` in the config): YAML, name → `{username, password}`.
///    It is refused unless only its owner can read it (`chmod 600`).
/// 2. systemd credentials: when the service runs with `LoadCredential=NAME:…`
///    (or `SetCredentialEncrypted=`), systemd puts the file `NAME` in
///    `$CREDENTIALS_DIRECTORY`; it holds `username:password` (one line; the
///    password may contain `:`). A name the secrets file does not define is
///    looked up there. Only names the inventory refers to are read.
///
/// No message ever contains a username or a password.
struct SecretsLoader {
    static let entryKeys = ["username", "password"]

    let log: DiagnosticLog

    /// - Parameters:
    ///   - configPath, location: where the config names the secrets file, for
    ///     problems with the file as a whole (missing, readable by others).
    ///
    /// Returns nil when the file as a whole cannot be used (already reported).
    func loadFile(_ path: String, configPath: String, location: Diagnostic.Location) -> [String: Credentials]? {
        let mode: Int
        do {
            mode = try FileBytes.mode(path)
        } catch {
            let reason = FileBytes.exists(path) ? "cannot be read: \(error.reason)" : "does not exist"
            log.add(configPath, location, .unreadable, "secrets file \(path) \(reason)")
            return nil
        }
        if mode & 0o077 != 0 {
            let access = mode & 0o044 != 0 ? "readable" : "writable or executable"
            let octal = String(mode, radix: 8)
            log.add(
                configPath, location, .insecureSecrets,
                "secrets file \(path) is \(access) by group or others (mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal)): run chmod 600 on it")
            return nil
        }
        guard let document = YAMLDocument.load(path: path, log: log) else { return nil }
        guard let root = document.root else { return [:] }
        guard let top = YAMLMapping(root, path: path, what: "the secrets file", allowed: nil, log: log) else { return nil }
        var secrets: [String: Credentials] = [:]
        for entry in top.entries {
            guard let map = YAMLMapping(
                entry.value, path: path, what: "secret '\(entry.key)'", allowed: Self.entryKeys, log: log,
                nameUnknownKeys: false)
            else { continue }
            let username = map.string("username", required: true)
            let password = map.string("password", required: true)
            if let username, let password {
                secrets[entry.key] = Credentials(username: username, password: password)
            }
        }
        return secrets
    }

    /// `$CREDENTIALS_DIRECTORY/name`, if there is such a file.
    func loadCredential(_ name: String, directory: String) -> Credentials? {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { return nil }
        let path = ConfigFile.resolve(name, against: directory.hasSuffix("/") ? directory : directory + "/")
        guard FileBytes.exists(path) else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.contents(of: path)
        } catch {
            log.add(path, .file, .unreadable, "cannot read credential '\(name)': \(error.reason)")
            return nil
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            log.add(path, .file, .unreadable, "credential '\(name)' is not UTF-8 text")
            return nil
        }
        // `systemd-creds` and `echo` leave a final newline; it is not part of the password.
        while let last = text.unicodeScalars.last, last == "\n" || last == "\r" { text.unicodeScalars.removeLast() }
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
            !text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" })
        else {
            log.add(path, .file, .invalidValue, "credential '\(name)' must hold one line username:password")
            return nil
        }
        return Credentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }
}

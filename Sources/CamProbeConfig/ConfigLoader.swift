import CamProbeCore
import Foundation

/// Loads a configuration: the config file, then the profiles, the secrets and
/// every inventory it names, validating all of it and collecting every problem.
///
/// ```swift
/// let (loaded, diagnostics) = ConfigLoader.load(path: "/etc/camprobe/camprobe.yaml")
/// ```
///
/// Nothing here reads the process environment except ``fromEnvironment()``:
/// tests pass the credentials directory and host name explicitly.
public struct ConfigLoader: Sendable {
    /// systemd's `$CREDENTIALS_DIRECTORY`, where a secret may come from.
    public var credentialsDirectory: String?
    /// The default `instance`.
    public var hostName: String

    public init(credentialsDirectory: String? = nil, hostName: String) {
        self.credentialsDirectory = credentialsDirectory
        self.hostName = hostName
    }

    /// `$CREDENTIALS_DIRECTORY` and this machine's host name.
    public static func fromEnvironment() -> ConfigLoader {
        let directory = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 }
        return ConfigLoader(credentialsDirectory: directory, hostName: HostName.current)
    }

    /// Loads with ``fromEnvironment()``.
    public static func load(path: String) -> (LoadedConfig?, [Diagnostic]) {
        fromEnvironment().load(path: path)
    }

    /// The configuration, or nil when there is any problem; every problem found,
    /// in file order (config, profiles, secrets, inventories).
    public func load(path: String) -> (LoadedConfig?, [Diagnostic]) {
        let log = DiagnosticLog()
        guard let document = YAMLDocument.load(path: path, log: log),
            let decoded = ConfigFileDecoder(hostName: hostName, log: log).decode(document)
        else { return (nil, log.sorted) }
        let config = decoded.config

        var profilesDocument: YAMLDocument?
        if let profilesPath = config.profiles,
            exists(profilesPath, "profiles file", config: config, at: decoded.profilesLocation, log: log)
        {
            profilesDocument = YAMLDocument.load(path: profilesPath, log: log)
        }
        let profiles = ProfilesDecoder(log: log).decode(profilesDocument)

        var fileSecrets: [String: Credentials]? = [:]
        if let secretsPath = config.secrets {
            fileSecrets = SecretsLoader(log: log).loadFile(secretsPath, configPath: config.path, location: decoded.secretsLocation)
        }
        let secrets = SecretsResolver(
            fromFile: fileSecrets, fileConfigured: config.secrets != nil, credentialsDirectory: credentialsDirectory, log: log)

        var builder = InventoryBuilder(profiles: profiles, secrets: secrets, log: log)
        for (inventoryPath, location) in zip(config.inventory, decoded.inventoryLocations) {
            guard exists(inventoryPath, "inventory file", config: config, at: location, log: log) else { continue }
            if inventoryPath.lowercased().hasSuffix(".csv") {
                do {
                    let bytes = try FileBytes.contents(of: inventoryPath)
                    InventoryCSVReader(log: log).read(path: inventoryPath, bytes: bytes, into: &builder)
                } catch {
                    log.add(inventoryPath, .file, .unreadable, "cannot read the file: \(error.reason)")
                }
            } else if let document = YAMLDocument.load(path: inventoryPath, log: log) {
                InventoryYAMLReader(log: log).read(document, into: &builder)
            }
        }
        // Secrets the config file itself names (queue, webhooks): the same
        // sources as the cameras' credentials.
        for (name, location) in decoded.namedSecrets where !builder.secrets.contains(name) {
            log.add(config.path, location, .missingSecret, builder.secrets.missingMessage(name))
        }
        guard log.isEmpty else { return (nil, log.sorted) }
        let loaded = LoadedConfig(
            config: config, cameras: builder.cameras, recorders: builder.recorders, profiles: profiles.profiles,
            secrets: builder.secrets.store)
        return (loaded, [])
    }

    /// A file the config names must exist; if not, say so where it is named.
    private func exists(_ path: String, _ what: String, config: ConfigFile, at location: Diagnostic.Location, log: DiagnosticLog) -> Bool {
        guard FileBytes.exists(path) else {
            log.add(config.path, location, .unreadable, "\(what) \(path) does not exist")
            return false
        }
        return true
    }
}

import CamProbeCore

/// Answers "does this credentials name exist?" for the inventory, looking in
/// the secrets file first, then in `$CREDENTIALS_DIRECTORY` (read only for the
/// names the inventory uses). What it found becomes the `SecretsStore`.
struct SecretsResolver {
    private let fileConfigured: Bool
    /// The secrets file is configured but unusable (reported once): names are
    /// not reported missing one by one then.
    private let fileFailed: Bool
    private let credentialsDirectory: String?
    private let loader: SecretsLoader
    private var found: [String: Credentials]
    private var missing: Set<String> = []

    /// - Parameter fromFile: the secrets file's entries; nil when it is configured but unusable.
    init(fromFile: [String: Credentials]?, fileConfigured: Bool, credentialsDirectory: String?, log: DiagnosticLog) {
        self.found = fromFile ?? [:]
        self.fileConfigured = fileConfigured
        self.fileFailed = fileConfigured && fromFile == nil
        self.credentialsDirectory = credentialsDirectory
        self.loader = SecretsLoader(log: log)
    }

    var store: SecretsStore { SecretsStore(found) }

    mutating func contains(_ name: String) -> Bool {
        if found[name] != nil { return true }
        if missing.contains(name) { return fileFailed }
        if let credentialsDirectory, let credentials = loader.loadCredential(name, directory: credentialsDirectory) {
            found[name] = credentials
            return true
        }
        missing.insert(name)
        return fileFailed
    }

    func missingMessage(_ name: String) -> String {
        switch (fileConfigured, credentialsDirectory != nil) {
        case (true, true): "credentials '\(name)' are neither in the secrets file nor in $CREDENTIALS_DIRECTORY"
        case (true, false): "credentials '\(name)' are not in the secrets file"
        case (false, true): "credentials '\(name)' are not in $CREDENTIALS_DIRECTORY (and no secrets file is configured)"
        case (false, false): "credentials '\(name)' are named but no secrets file is configured"
        }
    }
}

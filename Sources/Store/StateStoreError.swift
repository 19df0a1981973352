import GRDB

/// A failure of the state database, explained in one line an operator
/// understands: what could not be done, on which file, and why.
///
/// The message never carries values bound to SQL statements (GRDB hides them
/// unless `publicStatementArguments` is set, which the store never does), so a
/// camera's reasons or reports never leak into logs through an error.
public struct StateStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable kinds of failure, for tests, metrics and tools; the message explains.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The state directory cannot be created, is not a directory, or is not writable.
        case directoryUnusable = "state.directory_unusable"
        /// SQLite cannot open the database file (or it is not a database).
        case openFailed = "state.open_failed"
        /// The schema could not be brought up to date.
        case migrationFailed = "state.migration_failed"
        /// The file was migrated by a newer camprobe: this one does not know its schema.
        case newerSchema = "state.newer_schema"
        case readFailed = "state.read_failed"
        case writeFailed = "state.write_failed"
        /// A stored value (JSON, signature) no longer decodes.
        case corruptValue = "state.corrupt_value"
        /// The caller handed the store an inconsistent update (a bug in the caller).
        case invalidUpdate = "state.invalid_update"
    }

    public var code: Code
    /// The database file or state directory concerned.
    public var path: String
    /// Why, in words (the system's or SQLite's message).
    public var reason: String

    public init(code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    /// One line: `<what> <path>: <why>`.
    public var description: String {
        "\(Self.action(code)) \(path): \(reason)"
    }

    private static func action(_ code: Code) -> String {
        switch code {
        case .directoryUnusable: "cannot use state directory"
        case .openFailed: "cannot open state database"
        case .migrationFailed: "cannot update the schema of state database"
        case .newerSchema: "cannot use state database"
        case .readFailed: "cannot read state database"
        case .writeFailed: "cannot write state database"
        case .corruptValue: "corrupt value in state database"
        case .invalidUpdate: "refused update of state database"
        }
    }

    /// Wraps an SQLite failure: its result code and message, without the SQL
    /// statement's arguments.
    static func database(_ code: Code, path: String, _ error: DatabaseError) -> StateStoreError {
        StateStoreError(
            code: code, path: path,
            reason: "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "\(error.resultCode)")")
    }
}

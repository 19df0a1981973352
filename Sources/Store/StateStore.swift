import Foundation
import GRDB

/// The daemon's memory across restarts: the current state of every camera, its
/// last probe report, and the history of its state transitions, in one SQLite
/// file (`<state dir>/camprobe.sqlite`) in WAL mode.
///
/// The store owns one GRDB `DatabasePool`: one writer connection, which
/// serialises every write transaction of this process, and a few reader
/// connections, which read committed snapshots without waiting for the writer
/// (the status socket reads while a sweep is being written). Other processes
/// (`camprobe events`) may open the same file; they wait up to
/// ``busyTimeout`` for a lock instead of failing at once.
///
/// Every method is synchronous and blocks for the time of its SQLite work;
/// a write transaction costs one `fsync` of the WAL at commit
/// (`synchronous = FULL`: a commit survives a power cut), which is why
/// many cameras should be recorded in one batch (`record(_ updates: [CameraUpdate])`).
///
/// Extension point: ``write(_:)`` runs a closure in one write transaction, so
/// another table (the outbox of events) can be written in the same transaction
/// as the camera rows and transitions it describes, with
/// ``record(_:in:)``. New tables come as new migrations in
/// `StateStore+Schema.swift`.
public final class StateStore: Sendable {
    /// The database file's name inside the state directory.
    public static let fileName = "camprobe.sqlite"

    /// How long a connection waits for another process's lock before failing.
    public static let busyTimeout: TimeInterval = 5

    /// The database file.
    public let path: String

    let pool: DatabasePool

    /// Opens (creating when needed) `<directory>/camprobe.sqlite` and brings its
    /// schema up to date. Creates the directory (and its parents) when missing.
    ///
    /// Fails with a one-line ``StateStoreError`` naming the directory or file and
    /// the cause: the directory cannot be created, is not a directory or is not
    /// writable; the file is not a database; the file was migrated by a newer
    /// camprobe. Nothing is left open on failure: the pool, created last, is
    /// released with the half-built store.
    public init(directory: String) throws(StateStoreError) {
        let path = try Self.prepareFile(in: directory)
        self.path = path

        var configuration = Configuration()
        configuration.label = "camprobe.state"
        // A reader process (`camprobe events`) may hold the file briefly; wait for
        // it rather than fail a state write.
        configuration.busyMode = .timeout(Self.busyTimeout)
        let pool: DatabasePool
        do {
            // DatabasePool always puts the file in WAL mode.
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets `synchronous = NORMAL` on the writer with WAL, which syncs
            // only at checkpoints: a power cut could lose the last commits. FULL
            // syncs the WAL at every commit, so a committed transition (and,
            // later, its outbox events) survives. The cost is one fsync per
            // write transaction, hence batches. Readers never write: unchanged.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw Self.failure(.openFailed, path: path, error)
        }

        let migrator = Self.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                throw StateStoreError(
                    code: .newerSchema, path: path,
                    reason: "it was written by a newer camprobe (its schema has migrations this version does not know)")
            }
            try migrator.migrate(pool)
        } catch let error as StateStoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw Self.failure(.openFailed, path: path, error)
        } catch {
            throw Self.failure(.migrationFailed, path: path, error)
        }
        self.pool = pool
    }

    /// Runs `body` in one write transaction and commits it when `body` returns;
    /// rolls everything back when it throws. The extension point for writing
    /// other tables (the outbox) atomically with ``record(_:in:)``.
    ///
    /// SQLite failures come out as ``StateStoreError`` (`.writeFailed`); errors
    /// thrown by `body` itself come out unchanged, after the rollback.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as DatabaseError {
            throw StateStoreError.database(.writeFailed, path: path, error)
        }
    }

    /// Runs `body` on a committed snapshot of the database (a reader connection:
    /// it never waits for the writer). SQLite failures come out as
    /// ``StateStoreError`` (`.readFailed`); `body`'s own errors unchanged.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw StateStoreError.database(.readFailed, path: path, error)
        }
    }

    // MARK: - Typed-throwing wrappers for the store's own methods

    func writing<T>(_ body: (Database) throws -> T) throws(StateStoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Self.failure(.writeFailed, path: path, error)
        }
    }

    func reading<T>(_ body: (Database) throws -> T) throws(StateStoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.failure(.readFailed, path: path, error)
        }
    }

    static func failure(_ code: StateStoreError.Code, path: String, _ error: any Error) -> StateStoreError {
        switch error {
        case let error as StateStoreError: error
        case let error as DatabaseError: .database(code, path: path, error)
        default: StateStoreError(code: code, path: path, reason: String(describing: error))
        }
    }
}

// MARK: - The state directory

extension StateStore {
    /// Makes sure the directory exists and the database file can be created or
    /// opened for writing there, before SQLite tries: SQLite only says "unable to
    /// open database file", while the system call says why.
    ///
    /// Returns the database file's path.
    static func prepareFile(in directory: String) throws(StateStoreError) -> String {
        guard !directory.isEmpty else {
            throw StateStoreError(code: .directoryUnusable, path: "\"\"", reason: "no state directory given")
        }
        do {
            try SystemCall.makeDirectories(directory)
        } catch {
            throw StateStoreError(code: .directoryUnusable, path: directory, reason: "cannot create it (\(error))")
        }
        guard SystemCall.isDirectory(directory) else {
            throw StateStoreError(code: .directoryUnusable, path: directory, reason: "it exists but is not a directory")
        }
        // SQLite creates `camprobe.sqlite-wal` and `-shm` next to the file.
        if let error = SystemCall.checkAccess(directory, mode: W_OK | X_OK) {
            throw StateStoreError(code: .directoryUnusable, path: directory, reason: "it is not writable (\(error))")
        }
        let path = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
        let existed = SystemCall.exists(path)
        // Root passes `access` on any directory; only a real open tells whether a
        // read-only file system or a file system that refuses files (sysfs) is
        // behind it. An empty new file is what SQLite would create anyway.
        if let error = SystemCall.openForWriting(path, create: !existed) {
            if existed {
                throw StateStoreError(code: .openFailed, path: path, reason: "it is not writable (\(error))")
            }
            throw StateStoreError(
                code: .directoryUnusable, path: directory,
                reason: "it is not writable: cannot create \(fileName) (\(error))")
        }
        return path
    }
}

import GRDB

/// The schema, as versioned migrations. A migration, once released, is never
/// edited: a change is a new migration appended to the list (`v2-outbox` added
/// the outbox). GRDB records the applied identifiers in `grdb_migrations`.
///
/// Conventions:
/// - times are INTEGER milliseconds since 1970-01-01 UTC (exact arithmetic for
///   availability; `Date`s are kept to the millisecond);
/// - states are the `MonitorState` raw values;
/// - JSON columns hold what `JSONEncoder` writes for the named Swift type;
/// - tables are STRICT (SQLite ≥ 3.37; Debian bookworm has 3.40), so a wrong
///   type is an error, not a silent conversion.
///
/// The column comments are kept by SQLite: `sqlite3 camprobe.sqlite .schema`
/// shows them to whoever inspects the file.
extension StateStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-camera-state-and-transitions") { db in
            try db.execute(sql: """
                CREATE TABLE camera_state (
                    camera         TEXT    NOT NULL PRIMARY KEY,   -- inventory id
                    state          TEXT    NOT NULL CHECK (state IN ('unknown', 'up', 'degraded', 'down')),
                    since          INTEGER,                        -- ms since 1970 UTC: in `state` since then
                    reasons        TEXT    NOT NULL CHECK (json_valid(reasons)),  -- JSON [StatusReasonText]
                    affected_by    TEXT,                           -- host/school/prober explaining the failure
                    flapping       INTEGER NOT NULL CHECK (flapping IN (0, 1)),
                    last_probe     INTEGER,                        -- ms since 1970 UTC
                    last_report    TEXT    CHECK (last_report IS NULL OR json_valid(last_report)),  -- JSON ProbeReport
                    last_signature TEXT,                           -- PictureSignature text form
                    machine        BLOB                            -- opaque state-machine snapshot
                ) STRICT;

                CREATE TABLE state_transition (
                    id         INTEGER PRIMARY KEY,                -- insertion order breaks ties of `at`
                    camera     TEXT    NOT NULL,                   -- no foreign key: history outlives removal
                    from_state TEXT    NOT NULL CHECK (from_state IN ('unknown', 'up', 'degraded', 'down')),
                    to_state   TEXT    NOT NULL CHECK (to_state IN ('unknown', 'up', 'degraded', 'down')),
                    at         INTEGER NOT NULL,                   -- ms since 1970 UTC
                    reasons    TEXT    NOT NULL CHECK (json_valid(reasons))   -- JSON [StatusReasonText]
                ) STRICT;

                -- A camera's history and its state at a given time.
                CREATE INDEX state_transition_camera_at ON state_transition (camera, at);
                -- Transitions of all cameras in a period; retention.
                CREATE INDEX state_transition_at ON state_transition (at);
                """)
        }
        migrator.registerMigration("v2-outbox") { db in
            try db.execute(sql: """
                -- Events (CloudEvents JSON) written in the same transaction as the
                -- state change they describe; kept until delivered everywhere and
                -- older than the retention, or trimmed by the outbox limit.
                CREATE TABLE outbox_event (
                    seq         INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of writing; never reused
                    id          TEXT    NOT NULL UNIQUE,            -- CloudEvents id
                    type        TEXT    NOT NULL,                   -- CloudEvents type
                    subject     TEXT    NOT NULL,                   -- camera id, host, school, instance
                    routing_key TEXT    NOT NULL,                   -- AMQP routing key
                    time        INTEGER NOT NULL,                   -- ms since 1970 UTC
                    body        TEXT    NOT NULL CHECK (json_valid(body))  -- the CloudEvent, as published
                ) STRICT;
                CREATE INDEX outbox_event_subject ON outbox_event (subject, seq);
                CREATE INDEX outbox_event_time ON outbox_event (time);

                -- One row per event and destination ("amqp", "webhook:<route>") until
                -- the destination has it: the broker confirmed it, the endpoint
                -- answered 2xx, or delivery was given up.
                CREATE TABLE outbox_delivery (
                    sink         TEXT    NOT NULL,
                    seq          INTEGER NOT NULL REFERENCES outbox_event (seq) ON DELETE CASCADE,
                    attempts     INTEGER NOT NULL DEFAULT 0,
                    next_attempt INTEGER NOT NULL DEFAULT 0,   -- ms since 1970 UTC: not before
                    last_error   TEXT,
                    PRIMARY KEY (sink, seq)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX outbox_delivery_seq ON outbox_delivery (seq);
                """)
        }
        migrator.registerMigration("v3-no-machine-snapshot") { db in
            // The state-machine snapshot was never written: the daemon rebuilds each
            // machine from the stored state and `since`.
            try db.execute(sql: "ALTER TABLE camera_state DROP COLUMN machine")
        }
        migrator.registerMigration("v4-archive-measurement") { db in
            try db.execute(sql: """
                -- Each recorder's last archive measurement (docs/archive.md): what its
                -- cameras' archive reasons are judged on, and when it is next due.
                CREATE TABLE archive_measurement (
                    recorder    TEXT    NOT NULL PRIMARY KEY,   -- inventory recorder id
                    measured_at INTEGER NOT NULL,               -- ms since 1970 UTC
                    source      TEXT    CHECK (source IS NULL OR source IN ('onvif', 'rtsp')),
                    body        TEXT    NOT NULL CHECK (json_valid(body))  -- JSON ArchiveMeasurement
                ) STRICT;
                """)
        }
        return migrator
    }
}

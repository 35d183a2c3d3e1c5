import GRDB

/// Tables every store has: the outbox, the inbox, leases, the audit trail and the answers
/// kept for idempotent retries.
enum RuntimeSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("runtime-v1") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    partition INTEGER,
                    message_key TEXT,
                    value BLOB NOT NULL,
                    headers TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    published_at REAL
                );
                CREATE INDEX outbox_unpublished ON outbox(seq) WHERE published_at IS NULL;
                CREATE INDEX outbox_event ON outbox(event_id);
                CREATE TABLE inbox (
                    event_id TEXT PRIMARY KEY,
                    consumer_group TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    received_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE lease (
                    name TEXT PRIMARY KEY,
                    holder TEXT NOT NULL,
                    expires_at REAL NOT NULL
                );
                """)
        }
        // Who did what to which case: appended by every authenticated request, never updated.
        migrator.registerMigration("runtime-v2-audit") { db in
            try db.execute(sql: """
                CREATE TABLE audit_trail (
                    seq INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    roles TEXT NOT NULL,
                    action TEXT NOT NULL,
                    path TEXT NOT NULL,
                    case_id TEXT,
                    origin TEXT NOT NULL,
                    outcome INTEGER NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE INDEX audit_trail_case ON audit_trail(case_id, seq);
                """)
        }
        // Where the store's outbox reached on each topic partition, so that a new owner can
        // read what its predecessor published but did not live to mark.
        migrator.registerMigration("runtime-v3-delivered") { db in
            try db.execute(sql: """
                CREATE TABLE outbox_delivered (
                    topic TEXT NOT NULL,
                    partition INTEGER NOT NULL,
                    next_offset INTEGER NOT NULL,
                    PRIMARY KEY (topic, partition)
                ) WITHOUT ROWID;
                """)
        }
        // The answers to changes made with an Idempotency-Key, for their retries.
        migrator.registerMigration("runtime-v4-idempotency") { db in
            try db.execute(sql: """
                CREATE TABLE idempotency (
                    actor TEXT NOT NULL,
                    key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    case_id TEXT,
                    status INTEGER NOT NULL,
                    location TEXT,
                    answer BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (actor, key)
                ) WITHOUT ROWID;
                CREATE INDEX idempotency_age ON idempotency(created_at);
                CREATE INDEX idempotency_case ON idempotency(case_id);
                """)
        }
        // The display name a token may carry, beside its subject.
        migrator.registerMigration("runtime-v5-audit-actor-name") { db in
            try db.execute(sql: "ALTER TABLE audit_trail ADD COLUMN actor_name TEXT")
        }
        // A replayed answer carries the first answer's ETag (the reintegration plan's).
        migrator.registerMigration("runtime-v6-idempotency-etag") { db in
            try db.execute(sql: "ALTER TABLE idempotency ADD COLUMN etag TEXT")
        }
        // An auditor's filters (a case, an actor, a period) read the trail in time order
        // through an index each, not the whole trail; the case's index by `seq` gives way
        // to its index by time.
        migrator.registerMigration("runtime-v7-audit-filters") { db in
            try db.execute(sql: """
                CREATE INDEX audit_trail_case_at ON audit_trail(case_id, at, seq);
                CREATE INDEX audit_trail_actor_at ON audit_trail(actor, at, seq);
                CREATE INDEX audit_trail_at ON audit_trail(at, seq);
                DROP INDEX audit_trail_case;
                """)
        }
    }
}
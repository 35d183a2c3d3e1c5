import GRDB

/// Tables every service has: the outbox, the inbox and the publishing lease.
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
    }
}

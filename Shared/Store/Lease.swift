public import GRDB
public import Foundation

/// A named, expiring lease in the store: among the processes sharing it, one holds it.
/// A partition store's "owner" lease says which replica applies its events and publishes
/// its outbox (the runtime's `PartitionOwnership`), so per-case order holds however many
/// replicas run.
public enum Lease {
    /// Takes or renews the lease for `holder` if it is free, expired or already theirs.
    public static func acquire(_ name: String, holder: String, for duration: TimeInterval, in db: Database) throws -> Bool {
        let now = Date().timeIntervalSince1970
        try db.execute(sql: """
            INSERT INTO lease (name, holder, expires_at) VALUES (?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE lease.holder = excluded.holder OR lease.expires_at < ?
            """, arguments: [name, holder, now + duration, now])
        return try String.fetchOne(db, sql: "SELECT holder FROM lease WHERE name = ?", arguments: [name]) == holder
    }

    /// Whether a holder other than a standby copy's keeps the lease now (see
    /// ``standbyHolder(_:)``).
    public static func isHeldByOwner(_ name: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM lease WHERE name = ? AND expires_at > ? AND holder NOT LIKE ?)",
                          arguments: [name, Date().timeIntervalSince1970, "%" + standbySuffix]) ?? false
    }

    /// The holder name a replica takes a store's lease under while it keeps a standby copy
    /// of it: a store held so is not owned.
    public static func standbyHolder(_ holder: String) -> String { holder + standbySuffix }
    static let standbySuffix = " standby"

    public static func release(_ name: String, holder: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM lease WHERE name = ? AND holder = ?", arguments: [name, holder])
    }
}

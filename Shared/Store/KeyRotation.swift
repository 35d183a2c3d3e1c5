public import GRDB

/// Re-seals values sealed under another key than the active one, or in the v1 format (keys
/// derived without the service's name), and values written before sealing, a small batch at
/// a time, recomputing their keyed hashes with them (a v1 store becomes v2 this way, under
/// the same key ids). Each value stays readable throughout: a batch re-seals a value and its
/// hash in one statement, and what is not yet re-sealed opens and matches as it was. Each batch
/// is one transaction of the caller's; repeating a batch is harmless, so replicas sweeping
/// one store at once only share the work.
public enum KeyRotation {
    /// The runtime's own sealed columns: dead letters' bytes waiting in (or kept in) the
    /// outbox (the service's own events there are clear), and the answers kept for
    /// idempotent retries.
    public static let runtimeColumns = [SealedColumn("outbox", "value", isBlob: true, keepsClearBlobs: true),
                                        SealedColumn("idempotency", "answer", rowKey: "(actor, key)", isBlob: true)]

    /// Values of `columns` not yet sealed under `activeKeyID` in the current format.
    public static func pending(_ columns: [SealedColumn], activeKeyID: String, in db: Database) throws -> Int {
        var total = 0
        for column in columns {
            total += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(column.table) WHERE \(needsResealing(column))",
                                      arguments: [FieldCipher.prefix(for: activeKeyID)]) ?? 0
        }
        return total
    }

    /// Re-seals up to `limit` values of `column`; returns how many it re-sealed.
    @discardableResult
    public static func resealBatch(_ column: SealedColumn, activeKeyID: String, limit: Int, in db: Database) throws -> Int {
        let open = column.isBlob ? "hw_open_blob" : "hw_open"
        var assignments = "\(column.column) = hw_seal(\(open)(\(column.column), '\(column.label)'), '\(column.label)')"
        if let hash = column.searchHash {
            assignments += ", \(hash) = hw_search(hw_open(\(column.column), '\(column.label)'))"
        }
        let key = column.rowKey
        let selected = key.hasPrefix("(") ? String(key.dropFirst().dropLast()) : key
        try db.execute(sql: """
            UPDATE \(column.table) SET \(assignments)
            WHERE \(key) IN (SELECT \(selected) FROM \(column.table) WHERE \(needsResealing(column)) LIMIT ?)
            """, arguments: [FieldCipher.prefix(for: activeKeyID), limit])
        return db.changesCount
    }

    /// Not NULL, not erased (`''`), and not text sealed under the active key in the current
    /// format (nor a clear blob of a column that keeps them). The one argument is the active
    /// key's prefix, `v2.<kid>.`: a `v1.<kid>.` value does not have it.
    static func needsResealing(_ column: SealedColumn) -> String {
        let c = column.column
        let clearBlobs = column.keepsClearBlobs ? " AND typeof(\(c)) = 'text'" : ""
        return "\(c) IS NOT NULL AND NOT (typeof(\(c)) = 'text' AND (\(c) = '' OR substr(\(c), 1, length(?1)) = ?1))\(clearBlobs)"
    }
}

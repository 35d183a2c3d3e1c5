public import GRDB
public import Foundation

/// Writes every committed change of a partition store to the outbox of its changelog
/// topic, in the transaction that makes it, as Kafka Streams backs its state stores: SQLite
/// triggers on every table append one outbox row per changed row, keyed
/// `["table", primary key…]` (JSON) so that compaction keeps each row's latest value, with
/// the row as a JSON object, or an empty value (a tombstone) when the row is deleted.
/// Values are the stored ones: sealed columns travel sealed.
///
/// Encoding, so that a restored row is the stored row: a column declared `BLOB` is tagged
/// (`x` + hex for a blob, `t` + text otherwise); a REAL is written with 17 digits, as text
/// that the column's affinity turns back into the number.
///
/// Not captured: the changelog's own rows in `outbox` and `outbox_delivered` (their
/// publication would feed itself), leases (a host's own), GRDB's migration list.
public struct ChangelogCapture: Sendable {
    public let topic: String
    public let tables: [Table]

    public struct Table: Sendable {
        public let name: String
        /// Every column, `rowid` first for a table without a declared primary key.
        public let columns: [String]
        /// The declared primary key, or `rowid`.
        public let primaryKey: [String]
        public let blobColumns: Set<String>
        var keyedByRowid: Bool { primaryKey == ["rowid"] }
    }

    static let skipped: Set<String> = ["lease", "grdb_migrations"]
    /// Tables whose rows about the changelog itself are not captured.
    static let ownRows: Set<String> = ["outbox", "outbox_delivered"]
    /// The `event_id` of a changelog row in the outbox: `cl:` and the writer, an id of the
    /// process that opened the store, so that its row header (`<seq> cl:<writer>`) names
    /// one row of one store anywhere: a new owner tells its own records from another
    /// host's.
    public let eventID: String
    public static let eventIDPrefix = "cl:"

    public static func isChangelogRow(eventID: String) -> Bool { eventID.hasPrefix(eventIDPrefix) }

    /// Reads the tables of a migrated store; a row of a table without a declared primary key
    /// is keyed by its rowid.
    public init(topic: String, writer: String, schemaOf db: Database) throws {
        self.topic = topic
        eventID = Self.eventIDPrefix + writer
        let names = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """).filter { !Self.skipped.contains($0) }
        tables = try names.map { name in
            let info = try Row.fetchAll(db, sql: "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
            let key = info.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map { $0["name"] as String }
            return Table(name: name, columns: (key.isEmpty ? ["rowid"] : []) + info.map { $0["name"] }, primaryKey: key.isEmpty ? ["rowid"] : key,
                         blobColumns: Set(info.filter { ($0["type"] as String).uppercased() == "BLOB" }.map { $0["name"] }))
        }
    }

    // MARK: Capture

    /// Replaces the capture triggers of partition `partition`'s store (after every
    /// migration, so that added columns are captured).
    public func install(partition: Int32, in db: Database) throws {
        try Self.remove(in: db)
        for table in tables {
            let own = Self.ownRows.contains(table.name)
            let newRow = own ? " WHEN NEW.topic <> \(quoted(topic))" : ""
            let oldRow = own ? " WHEN OLD.topic <> \(quoted(topic))" : ""
            let keyChanged = table.primaryKey.map { "OLD.\(q($0)) IS NOT NEW.\(q($0))" }.joined(separator: " OR ")
            try db.execute(sql: """
                CREATE TRIGGER \(q("hw_changelog_\(table.name)_insert")) AFTER INSERT ON \(q(table.name))\(newRow) BEGIN
                  \(append(table, partition: partition, row: "NEW."));
                END;
                CREATE TRIGGER \(q("hw_changelog_\(table.name)_update")) AFTER UPDATE ON \(q(table.name))\(newRow) BEGIN
                  \(append(table, partition: partition, row: "NEW."));
                END;
                CREATE TRIGGER \(q("hw_changelog_\(table.name)_rekey")) AFTER UPDATE ON \(q(table.name)) WHEN (\(keyChanged))\(own ? " AND OLD.topic <> \(quoted(topic))" : "") BEGIN
                  \(tombstone(table, partition: partition, row: "OLD."));
                END;
                CREATE TRIGGER \(q("hw_changelog_\(table.name)_delete")) AFTER DELETE ON \(q(table.name))\(oldRow) BEGIN
                  \(tombstone(table, partition: partition, row: "OLD."));
                END;
                """)
        }
    }

    /// A store whose changelog is switched off: no capture, no pending changelog row, no
    /// position in it.
    public static func lapse(in db: Database) throws {
        try remove(in: db)
        try db.execute(sql: "DELETE FROM outbox WHERE substr(event_id, 1, 3) = ? AND published_at IS NULL", arguments: [eventIDPrefix])
        try db.execute(sql: "DELETE FROM outbox_delivered WHERE topic LIKE '%.changelog'")
    }

    /// Whether any captured table holds a row.
    public func hasRows(in db: Database) throws -> Bool {
        for table in tables where try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(q(table.name)))") == true { return true }
        return false
    }

    /// Drops every capture trigger.
    static func remove(in db: Database) throws {
        for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hw_changelog_%'") {
            try db.execute(sql: "DROP TRIGGER \(q(name))")
        }
    }

    /// Appends every row of the store to the changelog: a store that had records before its
    /// changelog existed starts it with a full copy.
    public func snapshot(partition: Int32, in db: Database) throws -> Int {
        var rows = 0
        for table in tables {
            let own = Self.ownRows.contains(table.name) ? " WHERE topic <> \(quoted(topic))" : ""
            try db.execute(sql: "\(append(table, partition: partition, row: "")) FROM \(q(table.name))\(own)")
            rows += db.changesCount
        }
        return rows
    }

    private var now: String { "(julianday('now') - 2440587.5) * 86400.0" }

    /// One changelog row into the outbox, from `SELECT`: key and value expressions given.
    private func insert(partition: Int32, key: String, value: String) -> String {
        """
        INSERT INTO outbox (event_id, topic, partition, message_key, value, headers, created_at) \
        SELECT \(quoted(eventID)), \(quoted(topic)), \(partition), \(key), \(value), '[]', \(now)
        """
    }

    private func append(_ table: Table, partition: Int32, row: String) -> String {
        insert(partition: partition, key: key(table, row: row), value: "CAST(\(value(table, row: row)) AS BLOB)")
    }

    private func tombstone(_ table: Table, partition: Int32, row: String) -> String {
        insert(partition: partition, key: key(table, row: row), value: "X''")
    }

    private func key(_ table: Table, row: String) -> String {
        "json_array(\(quoted(table.name)), \(table.primaryKey.map { row + q($0) }.joined(separator: ", ")))"
    }

    private func value(_ table: Table, row: String) -> String {
        let fields = table.columns.map { column -> String in
            let c = row + q(column)
            let encoded = table.blobColumns.contains(column)
                ? "CASE typeof(\(c)) WHEN 'null' THEN NULL WHEN 'blob' THEN 'x' || hex(\(c)) ELSE 't' || \(c) END"
                : "CASE typeof(\(c)) WHEN 'real' THEN printf('%!.17g', \(c)) ELSE \(c) END"
            return "\(quoted(column)), \(encoded)"
        }
        return "json_object(\(fields.joined(separator: ", ")))"
    }

    // MARK: Restore

    /// Applies one changelog record: the row, or its deletion for a tombstone (an empty or
    /// missing value). Records of a table this store lacks are an error: the store was
    /// made by an older release than the one that wrote the changelog.
    public func apply(key: Data, value: Data?, in db: Database) throws {
        guard let parts = try? JSONSerialization.jsonObject(with: key) as? [Any], let name = parts.first as? String else {
            throw ChangelogError.badRecord("a key that is not [table, key…]")
        }
        guard let table = tables.first(where: { $0.name == name }) else { throw ChangelogError.badRecord("a row of table \(name), which this store lacks") }
        let keyText = String(decoding: key, as: UTF8.self)
        if let value, !value.isEmpty {
            try db.cachedStatement(sql: upsert(table)).execute(arguments: [String(decoding: value, as: UTF8.self)])
        } else {
            let match = table.primaryKey.indices.map { "\(q(table.primaryKey[$0])) = json_extract(?1, '$[\($0 + 1)]')" }.joined(separator: " AND ")
            try db.cachedStatement(sql: "DELETE FROM \(q(table.name)) WHERE \(match)").execute(arguments: [keyText])
        }
    }

    private func upsert(_ table: Table) -> String {
        let values = table.columns.map { column -> String in
            let field = "json_extract(?1, \(quoted("$.\"\(column)\"")))"
            return table.blobColumns.contains(column)
                ? "CASE substr(\(field), 1, 1) WHEN 'x' THEN hw_unhex(substr(\(field), 2)) ELSE substr(\(field), 2) END"
                : field
        }
        if table.keyedByRowid {
            return "INSERT OR REPLACE INTO \(q(table.name)) (\(table.columns.map(q).joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
        }
        let others = table.columns.filter { !table.primaryKey.contains($0) }
        let update = others.isEmpty ? "NOTHING" : "UPDATE SET " + others.map { "\(q($0)) = excluded.\(q($0))" }.joined(separator: ", ")
        return """
            INSERT INTO \(q(table.name)) (\(table.columns.map(q).joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))
            ON CONFLICT (\(table.primaryKey.map(q).joined(separator: ", "))) DO \(update)
            """
    }

    /// Empties every captured table: a local copy that diverged from the changelog is
    /// thrown away and restored whole.
    public func wipe(in db: Database) throws {
        for table in tables { try db.execute(sql: "DELETE FROM \(q(table.name))") }
    }

    // MARK: Being restored

    /// A store being brought up to its changelog says so in its lease table (never
    /// captured, never wiped), so that no replica on the host answers from it meanwhile.
    static let restoringMark = "changelog-restore"

    public static func markRestoring(in db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO lease (name, holder, expires_at) VALUES (?, 'restore', 0)", arguments: [restoringMark])
    }

    public static func clearRestoring(in db: Database) throws {
        try db.execute(sql: "DELETE FROM lease WHERE name = ?", arguments: [restoringMark])
    }

    public static func isRestoring(in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM lease WHERE name = ?)", arguments: [restoringMark]) ?? false
    }

    /// Deletes the changelog rows the triggers appended since `seq`: a restore writes what
    /// the changelog already holds.
    public func forgetCaptured(after seq: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM outbox WHERE seq > ? AND topic = ?").execute(arguments: [seq, topic])
    }
}

public enum ChangelogError: Error, CustomStringConvertible {
    case badRecord(String)

    public var description: String {
        switch self {
        case .badRecord(let what): "changelog record: \(what)"
        }
    }
}

private func q(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
private func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

/// `hw_unhex(text)`: the blob a changelog record carries as hex (SQLite 3.40 has no `unhex`).
enum ChangelogFunctions {
    static let unhex = DatabaseFunction("hw_unhex", argumentCount: 1, pure: true) { arguments in
        guard case .string(let text) = arguments[0].storage else { return nil }
        var bytes = Data(capacity: text.utf8.count / 2)
        var high: UInt8?
        for c in text.utf8 {
            let nibble: UInt8
            switch c {
            case 48...57: nibble = c - 48
            case 65...70: nibble = c - 55
            case 97...102: nibble = c - 87
            default: throw ChangelogError.badRecord("a blob that is not hex")
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}

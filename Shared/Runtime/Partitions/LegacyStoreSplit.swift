import Foundation
import GRDB
import HomewardStore
import Kafka

/// Splits a store from before partition stores (`<data>/<service>.sqlite`) into one store
/// per partition, once, when the upgraded service first starts on it. Each partition store
/// starts as a copy of the whole and keeps the rows of its own cases; the audit trail moves
/// whole, its chain intact, to the service store; the inbox stays in every copy (an event
/// id belongs to one case, so a copy elsewhere never matches). The old file is kept beside
/// as `<name>.pre-partition`, for the operator to delete once satisfied.
///
/// Crash-safe: the layout is recorded in the same transaction that copies the audit trail,
/// after every partition store is in place; until then a restart splits again from the
/// untouched old file.
struct LegacyStoreSplit {
    let legacy: String
    let directory: String
    let partitionCount: Int
    let partitionedTables: [PartitionedTable]
    let cipher: FieldCipher?
    let migrations: (inout DatabaseMigrator) -> Void

    /// Runtime tables, split by rule of their own.
    static let runtimeTables: Set<String> = ["grdb_migrations", "sqlite_sequence", "outbox", "outbox_delivered", "inbox", "lease", "audit_trail", "idempotency"]

    func run(into service: Store) throws {
        // Bring the old store to the current schema, and out of WAL into one file.
        do {
            let old = try Store(path: legacy, cipher: cipher, migrations: migrations)
            try old.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        }
        try checkEveryTableHasARule()
        let count = partitionCount
        var config = Configuration()
        config.foreignKeysEnabled = false  // rows go table by table; every case stays whole
        config.prepareDatabase { db in
            db.add(function: DatabaseFunction("hw_partition", argumentCount: 1, pure: true) { values in
                let key = String.fromDatabaseValue(values[0]) ?? ""
                return Int64(KafkaPartitioner.partition(ofKey: key.utf8, partitions: count))
            })
        }
        let source = try DatabaseQueue(path: legacy, configuration: config)
        for k in 0..<partitionCount {
            let final = PartitionStores.partitionPath(k, in: directory)
            let temporary = final + ".split"
            try? FileManager.default.removeItem(atPath: temporary)
            let copy = try DatabaseQueue(path: temporary, configuration: config)
            try source.backup(to: copy)
            try copy.inTransaction { db in
                for rule in partitionedTables {
                    try db.execute(sql: "DELETE FROM \(rule.table) WHERE hw_partition(\(rule.caseID)) != ?", arguments: [k])
                }
                try db.execute(sql: "DELETE FROM outbox WHERE COALESCE(partition, hw_partition(message_key)) != ?", arguments: [k])
                try db.execute(sql: "DELETE FROM outbox_delivered WHERE partition != ?", arguments: [k])
                try db.execute(sql: "DELETE FROM audit_trail")
                try db.execute(sql: "DELETE FROM lease")
                try db.execute(sql: "DELETE FROM idempotency")  // a new table: empty in a store from before
                return .commit
            }
            try copy.vacuum()
            try copy.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: final + suffix) }
            try FileManager.default.moveItem(atPath: temporary, toPath: final)
        }
        try source.close()
        try service.write { db in
            try db.execute(sql: "ATTACH DATABASE ? AS legacy", arguments: [legacy])
            defer { try? db.execute(sql: "DETACH DATABASE legacy") }
            try db.execute(sql: "DELETE FROM audit_trail")
            let columns = "seq, at, actor, roles, action, path, case_id, origin, outcome, previous_hash, hash"  // a legacy store's own
            try db.execute(sql: "INSERT INTO audit_trail (\(columns)) SELECT \(columns) FROM legacy.audit_trail ORDER BY seq")
            try db.execute(sql: "INSERT INTO store_layout (partitions, split_from) VALUES (?, ?)", arguments: [partitionCount, legacy])
        }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: legacy + suffix) {
            try? FileManager.default.removeItem(atPath: legacy + ".pre-partition" + suffix)
            try FileManager.default.moveItem(atPath: legacy + suffix, toPath: legacy + ".pre-partition" + suffix)
        }
    }

    /// A table without a rule would be copied whole into every partition: refuse instead.
    private func checkEveryTableHasARule() throws {
        let tables = try DatabaseQueue(path: legacy).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        }
        let covered = Self.runtimeTables.union(partitionedTables.map(\.table))
        let missing = tables.filter { !covered.contains($0) }
        guard missing.isEmpty else {
            throw ConfigurationError.invalid(key: "STORE_PATH", reason: "cannot split \(legacy): no partition rule for table \(missing.joined(separator: ", "))")
        }
    }
}

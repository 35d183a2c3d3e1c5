import Foundation
public import GRDB
public import HomewardModel
public import HomewardStore
import Kafka

/// A service's state, one SQLite store per Kafka partition, as Kafka Streams keeps its state
/// stores: a case lives in the store of its partition (``KafkaPartitioner`` of its id, as
/// every producer of its events computes it), with that case's inbox, outbox, audit entries
/// and records. Beside them one small service store keeps what belongs to no case (the
/// audit entries of lists and reports) and the layout itself: how many partitions the
/// stores were made for.
///
/// ```
/// <directory>/service.sqlite
/// <directory>/partition-00.sqlite … partition-11.sqlite
/// ```
///
/// Replicas on one host open every store: whoever is assigned partition k applies its
/// events and publishes its outbox (``PartitionOwnership``); any replica reads and writes
/// any case for a request, under SQLite's locking.
public final class PartitionStores: Sendable {
    public let directory: String
    public let service: Store
    public let partitions: [Store]

    /// Opens (or makes) the layout; a legacy single store at `legacyStore` is split into it
    /// once, first (``LegacyStoreSplit``). Refuses stores made for another partition count.
    public init(directory: String, partitionCount: Int, cipher: FieldCipher?, legacyStore: String?,
                partitionedTables: [PartitionedTable], migrations: @escaping (inout DatabaseMigrator) -> Void) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Replicas starting together: one lays out or splits, the others wait and open.
        let lock = try FileLock(path: "\(directory)/layout.lock")
        defer { lock.release() }
        let service = try Store(path: Self.servicePath(in: directory), cipher: cipher) { migrator in
            migrator.registerMigration("layout-v1") { db in
                try db.execute(sql: "CREATE TABLE store_layout (partitions INTEGER NOT NULL, split_from TEXT)")
            }
        }
        let recorded = try service.read { db in try Int.fetchOne(db, sql: "SELECT partitions FROM store_layout") }
        if let recorded, recorded != partitionCount {
            throw ConfigurationError.invalid(
                key: "KAFKA_TOPIC_PARTITIONS",
                reason: "\(partitionCount), but the stores in \(directory) were made for \(recorded) partitions; a case's partition would change. Keep \(recorded), or restore the stores into a new layout")
        }
        if recorded == nil, let legacyStore, FileManager.default.fileExists(atPath: legacyStore) {
            try LegacyStoreSplit(legacy: legacyStore, directory: directory, partitionCount: partitionCount,
                                 partitionedTables: partitionedTables, cipher: cipher, migrations: migrations).run(into: service)
        }
        partitions = try (0..<partitionCount).map { k in
            try Store(path: Self.partitionPath(k, in: directory), cipher: cipher, maximumReaders: 2, migrations: migrations)
        }
        if recorded == nil {
            try service.write { db in
                if try Int.fetchOne(db, sql: "SELECT partitions FROM store_layout") == nil {
                    try db.execute(sql: "INSERT INTO store_layout (partitions) VALUES (?)", arguments: [partitionCount])
                }
            }
        }
        self.service = service
    }

    public static func servicePath(in directory: String) -> String { "\(directory)/service.sqlite" }
    public static func partitionPath(_ k: Int, in directory: String) -> String {
        "\(directory)/partition-\(k < 10 ? "0" : "")\(k).sqlite"
    }

    public var count: Int { partitions.count }
    /// Every store: the service store first, then the partitions in order.
    public var all: [Store] { [service] + partitions }

    /// The partition of a case: where Kafka's default partitioner puts its events.
    public func partition(of caseID: CaseID) -> Int32 {
        KafkaPartitioner.partition(ofKey: caseID.rawValue.utf8, partitions: count)
    }

    public func store(for caseID: CaseID) -> Store { partitions[Int(partition(of: caseID))] }
    public subscript(partition: Int32) -> Store { partitions[Int(partition)] }

    /// Closes every store, at the end of a clean stop.
    public func close() throws {
        for store in all { try store.close() }
    }

    /// `body` in every partition store, in partition order (lists, reports, work lists).
    public func readEach<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> [T] {
        var results: [T] = []
        results.reserveCapacity(count)
        for store in partitions { results.append(try await store.read(body)) }
        return results
    }

    /// The first non-nil answer of `body` across partition stores: a record found by an id
    /// that is not a case id (a traveller, a booking), which lives in exactly one of them.
    public func locate<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T?) async throws -> (Store, T)? {
        for store in partitions {
            if let found = try await store.read(body) { return (store, found) }
        }
        return nil
    }
}

/// How a service table's rows map to a case, so that a legacy store can be split: the
/// table and an SQL expression giving the case id of a row.
public struct PartitionedTable: Sendable {
    public var table: String
    public var caseID: String

    public init(_ table: String, caseID: String = "case_id") {
        self.table = table
        self.caseID = caseID
    }
}

import Foundation
import GRDB
import HomewardModel
@testable import HomewardRuntime
import HomewardStore
import Kafka
import Logging
import StageProbeKit
import TestSupport
import Testing

/// Partition stores backed by a changelog topic, on the embedded broker: every change
/// reaches it, a store rebuilt from it is the store it came from (blobs, reals, deletions,
/// the outbox and the inbox included), a copy that is behind catches up from where it
/// stopped, and a copy that diverged is rebuilt whole.
@Suite("Changelog: stores restored from Kafka")
struct ChangelogTests {
    static let topic = "homeward.test.changelog"
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A broker with the changelog topic.
    static func cluster(_ name: String) throws -> TestCluster {
        let cluster = try TestCluster(name)
        try cluster.broker.createTopic(TopicSpec(name: topic, partitions: 4))
        return cluster
    }

    static func migrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("things") { db in
            try db.execute(sql: """
                CREATE TABLE thing (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, amount REAL, photo BLOB, note TEXT);
                CREATE TABLE visit (case_id TEXT NOT NULL, n INTEGER NOT NULL, at TEXT, PRIMARY KEY (case_id, n)) WITHOUT ROWID;
                CREATE TABLE step (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, what TEXT NOT NULL);
                """)
        }
    }

    /// One replica's stores, ownership (with restore) and relay, on its own directory.
    final class Replica: @unchecked Sendable {
        let stores: PartitionStores
        let ownership: PartitionOwnership
        let relay: OutboxRelay
        let progress = ChangelogProgress()
        private var tasks: [Task<Void, any Error>] = []

        init(_ directory: URL, cluster: TestCluster, name: String, ownsAll: Bool = true) throws {
            stores = try PartitionStores(directory: directory.path, partitionCount: 4, cipher: nil, legacyStore: nil, changelogTopic: ChangelogTests.topic,
                                         partitionedTables: [], migrations: ChangelogTests.migrations)
            let config = KafkaConfig(bootstrapServers: cluster.bootstrap)
            let restore = ChangelogRestore(stores: stores, capture: stores.changelog!, kafka: config, metrics: RuntimeMetrics(), batch: 7,
                                           logger: ChangelogTests.logger)
            ownership = PartitionOwnership(stores: stores, holder: name, ownsAll: ownsAll, restore: restore, logger: ChangelogTests.logger)
            relay = try OutboxRelay(stores: stores, ownership: ownership, kafka: config,
                                    makeProducer: { try KafkaProducer(config: config, logger: ChangelogTests.logger) }, maxBatch: 5,
                                    signal: RelaySignal(), metrics: RuntimeMetrics(), changelog: (ChangelogTests.topic, progress),
                                    drainTimeout: .seconds(2), logger: ChangelogTests.logger)
            ownership.publishesOnRelease { [relay] in await relay.publishChangelog($0) }
        }

        /// On a directory of the cluster's with the replica's name.
        convenience init(_ cluster: TestCluster, name: String, ownsAll: Bool = true) throws {
            try self.init(cluster.directory.appendingPathComponent(name), cluster: cluster, name: name, ownsAll: ownsAll)
        }

        func start(relaying: Bool = true) {
            tasks = [Task { [ownership] in try await ownership.run() }] + (relaying ? [Task { [relay] in try await relay.run() }] : [])
        }

        /// Starts it; whether it then came to hold every partition (restoring what it lacked).
        func startHoldingAll(relaying: Bool = true) async -> Bool {
            start(relaying: relaying)
            return await eventually { ownership.held.count == 4 }
        }

        /// A restore of its stores to run by hand, apart from its ownership.
        func restore(from cluster: TestCluster) -> ChangelogRestore {
            ChangelogRestore(stores: stores, capture: stores.changelog!, kafka: KafkaConfig(bootstrapServers: cluster.bootstrap),
                             metrics: RuntimeMetrics(), logger: ChangelogTests.logger)
        }

        func stop() async {
            for task in tasks { task.cancel() }
            for task in tasks { _ = try? await task.value }
            ownership.releaseAll()
        }

        var backlog: Int { (try? stores.partitions.reduce(0) { $0 + (try $1.read { db in try Outbox.backlog(in: db) }) }) ?? -1 }

        /// Every row of every table a changelog carries, per partition, as text.
        func contents() throws -> [[String]] {
            try stores.partitions.map { store in
                try store.read { db in
                    try stores.changelog!.tables.flatMap { table in
                        try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.primaryKey.joined(separator: ", "))").map {
                            "\(table.name) \($0)"
                        }.filter { !$0.contains(ChangelogTests.topic) }
                    }
                }
            }
        }
    }

    /// Some of everything: inserts, updates, deletions, an integer-keyed row, a blob, a
    /// fractional real, an event in the outbox and an inbox record.
    static func work(_ stores: PartitionStores, cases: ClosedRange<Int>) throws {
        for n in cases {
            let caseID = CaseID("case-\(n)")
            try stores.store(for: caseID).write { db in
                try db.execute(sql: "INSERT INTO thing (id, case_id, amount, photo, note) VALUES (?, ?, ?, ?, ?)",
                               arguments: ["t\(n)", caseID.rawValue, 1765012345.123456789 + Double(n), Data([0, 1, 2, UInt8(n % 256)]), "n'ote \"\(n)\""])
                try db.execute(sql: "INSERT INTO visit (case_id, n, at) VALUES (?, 1, '2026-12-06'), (?, 2, NULL)", arguments: [caseID.rawValue, caseID.rawValue])
                try db.execute(sql: "INSERT INTO step (case_id, what) VALUES (?, 'registered')", arguments: [caseID.rawValue])
                try Outbox.append(CloudEvent(caseID: caseID, data: ProbeApplied(requestID: "r\(n)", seq: n)), in: db)
                try Inbox.record("input-\(n)", group: "test", outcome: .applied, in: db)
            }
            try stores.store(for: caseID).write { db in
                try db.execute(sql: "UPDATE thing SET note = NULL, amount = amount / 3 WHERE id = ?", arguments: ["t\(n)"])
                if n % 3 == 0 { try db.execute(sql: "DELETE FROM visit WHERE case_id = ? AND n = 2", arguments: [caseID.rawValue]) }
                if n % 5 == 0 { try db.execute(sql: "DELETE FROM thing WHERE id = ?", arguments: ["t\(n)"]) }
            }
        }
    }

    @Test func aStoreRebuiltFromItsChangelogIsTheStoreItCameFromAndABehindCopyCatchesUp() async throws {
        let cluster = try Self.cluster("changelog")
        // Rows from before the changelog existed: the first owner starts it with a copy.
        let before = try PartitionStores(directory: cluster.directory.appendingPathComponent("a").path, partitionCount: 4, cipher: nil, legacyStore: nil,
                                         partitionedTables: [], migrations: Self.migrations)
        try Self.work(before, cases: 1...6)
        try before.close()
        let original = try Replica(cluster, name: "a")
        original.start()
        try Self.work(original.stores, cases: 7...30)
        #expect(await eventually { original.backlog == 0 }, "everything published")
        let expected = try original.contents()
        #expect(expected.joined().count > 100)
        #expect(expected.joined().contains { $0.hasPrefix("outbox ") }, "published events are part of the store")

        // The changelog's records: keyed by table and key, tombstones for deletions.
        let records = try await cluster.traffic.readAll(Self.topic)
        #expect(records.contains { $0.keyString == #"["thing","t10"]"# && $0.value.isEmpty }, "a deleted row's tombstone")
        #expect(records.contains { $0.keyString == #"["visit","case-2",1]"# && !$0.value.isEmpty })
        #expect(records.allSatisfy { $0.headers.contains { $0.name == Outbox.rowHeader } })

        // A new replica with no store: rebuilt whole, and the same.
        let copy = try Replica(cluster, name: "b")
        await original.stop()
        #expect(await copy.startHoldingAll())
        #expect(try copy.contents() == expected)
        #expect(await eventually { copy.backlog == 0 }, "nothing left to publish: the restored outbox was checked against the topics")
        let events = try await cluster.traffic.readAll(ProbeApplied.producer.topic)
        #expect(events.count == 30 && Set(events.map(\.value)).count == 30, "each event published once")

        // The copy works on; the original, behind, catches up from where it stopped.
        try Self.work(copy.stores, cases: 31...40)
        #expect(await eventually { copy.backlog == 0 })
        let later = try copy.contents()
        await copy.stop()
        let again = try Replica(cluster, name: "a")
        let restore = again.restore(from: cluster)
        var outcomes: [ChangelogRestore.Outcome] = []
        for partition in Int32(0)..<4 { outcomes.append(try restore.prepare(partition, renew: { true }, stop: { false })) }
        #expect(outcomes.allSatisfy { if case .restored(_, let from, let whole) = $0 { from > 0 && !whole } else { false } }, "\(outcomes)")
        #expect(try again.contents() == later)
    }

    @Test func aCopyWithChangesThatNeverReachedKafkaIsRebuiltWhole() async throws {
        let cluster = try Self.cluster("changelog-diverged")
        let first = try Replica(cluster, name: "a")
        first.start()
        try Self.work(first.stores, cases: 1...12)
        #expect(await eventually { first.backlog == 0 })
        await first.stop()

        // Another host goes on without the first one's later, unpublished change.
        let second = try Replica(cluster, name: "b")
        #expect(await second.startHoldingAll())
        try Self.work(second.stores, cases: 13...20)
        #expect(await eventually { second.backlog == 0 })
        let expected = try second.contents()
        await second.stop()
        try Self.work(first.stores, cases: 100...100)  // committed on the first host, never published

        let back = try Replica(cluster, name: "a")
        #expect(await back.startHoldingAll())
        #expect(try back.contents() == expected, "the changelog wins: case-100 is gone, cases 13–20 are there")
        await back.stop()
    }

    /// A store let go of while the broker is away keeps its changes: the replica goes on
    /// claiming it, lease held, until its changelog rows are in Kafka, then releases it.
    @Test func aStoreLetGoOfWhileTheBrokerIsAwayStaysClaimedUntilItsChangelogIsInKafka() async throws {
        let cluster = try Self.cluster("changelog-lingering")
        let replica = try Replica(cluster, name: "a", ownsAll: false)
        let input = (0..<Int32(4)).map { TopicPartition(topic: "homeward.test.input", partition: $0) }
        replica.ownership.assigned(input)
        #expect(await replica.startHoldingAll(relaying: false))  // nothing published but what letting go publishes

        try cluster.broker.setBrokerDown(1)
        try Self.work(replica.stores, cases: 1...12)  // committed; not in Kafka while it is away
        let unpublished = try (0..<Int32(4)).filter { partition in
            try replica.stores[partition].read { db in try Outbox.hasUnpublished(topic: Self.topic, in: db) }
        }
        #expect(unpublished.count >= 2)
        replica.ownership.revoked(input)
        #expect(replica.ownership.held.isEmpty)
        #expect(replica.ownership.claimed == unpublished, "let go of, still claimed: their changes are not in Kafka")

        try cluster.broker.setBrokerUp(1)
        #expect(await eventually(timeout: .seconds(30)) { replica.ownership.claimed.isEmpty })
        #expect(try replica.stores.partitions.allSatisfy { store in try store.read { db in try !Outbox.hasUnpublished(topic: Self.topic, in: db) } })
        let expected = try replica.contents()
        await replica.stop()

        let next = try Replica(cluster, name: "b")
        #expect(await next.startHoldingAll(relaying: false))  // the events stay unpublished, as in the first copy
        #expect(try next.contents() == expected, "another host's restore has every change")
        await next.stop()
    }

    @Test func aStoreThatRanWithoutItsChangelogIsNeitherOverwrittenByItNorTakenForCurrent() async throws {
        let cluster = try Self.cluster("changelog-lapsed")
        let directory = cluster.directory.appendingPathComponent("a")
        let first = try Replica(directory, cluster: cluster, name: "a")
        first.start()
        try Self.work(first.stores, cases: 1...12)
        #expect(await eventually { first.backlog == 0 })
        await first.stop()
        try first.stores.close()

        // A period without the changelog: changes it never sees.
        let alone = try PartitionStores(directory: directory.path, partitionCount: 4, cipher: nil, legacyStore: nil,
                                        partitionedTables: [], migrations: Self.migrations)
        try Self.work(alone, cases: 13...20)
        try alone.close()

        let again = try Replica(directory, cluster: cluster, name: "a")
        let restore = again.restore(from: cluster)
        let before = try again.contents()
        let config = KafkaConfig(bootstrapServers: cluster.bootstrap)
        let logged = try (Int32(0)..<4).filter { try TopicReader.watermarks(topic: Self.topic, partition: $0, config: config, logger: Self.logger).high > 0 }
        #expect(logged.count >= 2)
        for partition in logged {
            #expect(throws: ChangelogRestore.RestoreError.self) { try restore.prepare(partition, renew: { true }, stop: { false }) }
        }
        #expect(try again.contents() == before, "the store is left as it was")
    }
}

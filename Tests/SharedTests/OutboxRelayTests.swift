import Foundation
import HomewardModel
@testable import HomewardRuntime
import HomewardStore
import CRdKafka
@testable import Kafka
import Logging
import StageProbeKit
import TestSupport
import Testing

@Suite("Outbox relay")
struct OutboxRelayTests {
    @Test func aProducerInAFatalStateIsReplacedAndNothingIsLost() async throws {
        // The fatal error is logged as critical on purpose; the test needs no output.
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let cluster = try TestCluster("relay")
        let stores = try PartitionStores(directory: cluster.directory.appendingPathComponent("relay").path, partitionCount: 4, cipher: nil,
                                         legacyStore: nil, partitionedTables: [], migrations: { _ in })
        let ownership = PartitionOwnership(stores: stores, holder: "test", ownsAll: true, logger: logger)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrap)
        let relay = try OutboxRelay(
            stores: stores, ownership: ownership, kafka: config, makeProducer: { try KafkaProducer(config: config, logger: logger) }, maxBatch: 50,
            signal: RelaySignal(), metrics: RuntimeMetrics(), drainTimeout: .seconds(2), logger: logger)
        func append(_ range: ClosedRange<Int>) throws -> [EventID] {
            let events = range.map { CloudEvent(caseID: CaseID("c\($0 % 7)"), data: ProbeApplied(requestID: "r\($0)", seq: $0)) }
            for e in events { try stores.store(for: e.subject).write { db in try Outbox.append(e, in: db) } }
            return events.map(\.id)
        }
        let backlog = { try stores.partitions.reduce(0) { $0 + (try $1.read { db in try Outbox.backlog(in: db) }) } }
        let owning = Task { try await ownership.run() }
        let running = Task { try await relay.run() }

        let before = try append(1...100)
        #expect(await eventually { (try? backlog()) == 0 })
        let first = relay.currentProducer
        first.injectFatalError()
        #expect(first.fatalError != nil)
        let after = try append(101...200)
        #expect(await eventually { (try? backlog()) == 0 }, "published through a new producer")
        #expect(relay.currentProducer !== first)

        let published = try await cluster.traffic.appliedEvents()
        #expect(Set(published.map(\.id)) == Set(before + after))
        running.cancel()
        owning.cancel()
        try? await running.value
    }
}

extension OutboxRelayTests {
    /// An owner killed after the broker took its records but before it marked them: the
    /// next owner finds them on the topic, from where the store recorded reaching, and
    /// marks them instead of sending them again.
    /// `positionNeverRecorded`: killed after its first publish, so no position of the topic
    /// was ever recorded (or the record of it never reached the changelog a store came back from).
    @Test(arguments: [false, true])
    func aNewOwnerMarksWhatItsKilledPredecessorPublishedAndSendsNothingTwice(positionNeverRecorded: Bool) async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let cluster = try TestCluster("relay-takeover")
        let stores = try PartitionStores(directory: cluster.directory.appendingPathComponent("relay").path, partitionCount: 4, cipher: nil,
                                         legacyStore: nil, partitionedTables: [], migrations: { _ in })
        let config = KafkaConfig(bootstrapServers: cluster.bootstrap)
        func owner(_ name: String) throws -> (PartitionOwnership, OutboxRelay) {
            let ownership = PartitionOwnership(stores: stores, holder: name, ownsAll: true, logger: logger)
            return (ownership, try OutboxRelay(stores: stores, ownership: ownership, kafka: config,
                                               makeProducer: { try KafkaProducer(config: config, logger: logger) }, maxBatch: 50,
                                               signal: RelaySignal(), metrics: RuntimeMetrics(), drainTimeout: .seconds(2), logger: logger))
        }
        let backlog = { try stores.partitions.reduce(0) { $0 + (try $1.read { db in try Outbox.backlog(in: db) }) } }
        let events = (1...40).map { CloudEvent(caseID: CaseID("c\($0 % 9)"), data: ProbeApplied(requestID: "r\($0)", seq: $0)) }
        for e in events { try await stores.store(for: e.subject).write { db in try Outbox.append(e, in: db) } }

        let (first, firstRelay) = try owner("first")
        var tasks = [Task { try await first.run() }, Task { try await firstRelay.run() }]
        #expect(await eventually { (try? backlog()) == 0 })
        for task in tasks { task.cancel(); try? await task.value }
        // As if killed after sending, before marking: the rows unmarked, the positions they
        // reached unrecorded (back to the start), its leases left behind, expired.
        for store in stores.partitions {
            try await store.write { db in
                try db.execute(sql: "UPDATE outbox SET published_at = NULL")
                try db.execute(sql: positionNeverRecorded ? "DELETE FROM outbox_delivered" : "UPDATE outbox_delivered SET next_offset = 0")
                try db.execute(sql: "INSERT INTO lease (name, holder, expires_at) VALUES ('owner', 'first', 0)")
            }
        }
        #expect(try backlog() > 0)

        let (second, secondRelay) = try owner("second")
        tasks = [Task { try await second.run() }, Task { try await secondRelay.run() }]
        #expect(await eventually { (try? backlog()) == 0 }, "the next owner marks them")
        for task in tasks { task.cancel(); try? await task.value }
        let published = try await cluster.traffic.readAll(ServiceName.healthScreening.topic)
        #expect(published.count == events.count, "\(published.count - events.count) records sent twice")
    }

    /// No writer calls the relay: a commit that adds outbox rows wakes it by itself.
    @Test func aCommitThatAddsOutboxRowsWakesTheRelayAndNothingElseDoes() throws {
        let store = try Store(path: try makeWorkDirectory("observer").appendingPathComponent("s.sqlite").path)
        let signal = RelaySignal()
        OutboxMemory(committed: { signal.notify() }).attach(to: store)
        try store.write { db in try Inbox.record("e1", group: "g", outcome: .applied, in: db) }
        #expect(!signal.isPending, "no outbox row, no wake-up")
        struct Boom: Error {}
        _ = try? store.write { db in
            try Outbox.append(CloudEvent(caseID: "c", data: ProbeApplied(requestID: "r", seq: 1)), in: db)
            throw Boom()
        }
        #expect(!signal.isPending, "rolled back, no wake-up")
        try store.write { db in try Outbox.append(CloudEvent(caseID: "c", data: ProbeApplied(requestID: "r", seq: 1)), in: db) }
        #expect(signal.isPending)
    }
}

extension OutboxRelayTests {
    /// What a store's memory holds: the rows this connection committed, and of those only
    /// the ones that survived their savepoints (a rolled-back savepoint's `seq` is reused).
    @Test func theMemoryHoldsWhatThisConnectionCommittedAndNoRolledBackSavepointsRows() throws {
        let path = try makeWorkDirectory("memory").appendingPathComponent("s.sqlite").path
        let store = try Store(path: path)
        let memory = OutboxMemory()
        memory.attach(to: store)
        func event(_ n: Int) -> CloudEvent<ProbeApplied> { CloudEvent(caseID: "c", data: ProbeApplied(requestID: "r\(n)", seq: n)) }
        let (kept, undone, after) = (event(1), event(2), event(3))
        struct Undo: Error {}
        try store.write { db in
            try Outbox.append(kept, in: db)
            try? db.inSavepoint {
                try Outbox.append(undone, in: db)
                throw Undo()
            }
            try Outbox.append(after, in: db)
        }
        _ = try? store.write { db in
            try Outbox.append(event(4), in: db)
            throw Undo()
        }
        let stored = try store.read { db in try Outbox.unpublished(limit: 10, in: db) }
        #expect(stored.map(\.eventID) == [kept.id.rawValue, after.id.rawValue])
        let taken = memory.take(from: stored[0].seq, limit: 10)
        #expect(taken?.map(\.eventID) == stored.map(\.eventID))
        #expect(taken?.map(\.seq) == stored.map(\.seq))
        #expect(taken?.map(\.value) == stored.map(\.value))
        #expect(memory.isEmpty)

        // Another connection's row (another process's request) leaves a gap in this one's.
        let other = try Store(path: path)
        try other.write { db in try Outbox.append(event(5), in: db) }
        let sixth = event(6)
        try store.write { db in try Outbox.append(sixth, in: db) }
        #expect(memory.take(from: stored[1].seq + 1, limit: 10) == nil, "a gap: the relay reads the store")
        #expect(memory.take(from: stored[1].seq + 2, limit: 10)?.map(\.eventID) == [sixth.id.rawValue])
    }

    /// The relay publishes from memory what this process committed, and from the store what
    /// another writer put between its rows: every row once, in the store's order.
    @Test func rowsOfAnotherWriterBetweenThisProcesssRowsGoOutFromTheStoreInOrder() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let cluster = try TestCluster("relay-memory")
        let stores = try PartitionStores(directory: cluster.directory.appendingPathComponent("relay").path, partitionCount: 1, cipher: nil,
                                         legacyStore: nil, partitionedTables: [], migrations: { _ in })
        let signal = RelaySignal()
        let memory = OutboxMemory(committed: { signal.notify() })
        memory.attach(to: stores.partitions[0])
        let other = try Store(path: stores.partitions[0].path)
        let ownership = PartitionOwnership(stores: stores, holder: "test", ownsAll: true, logger: logger)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrap)
        let relay = try OutboxRelay(
            stores: stores, ownership: ownership, kafka: config, makeProducer: { try KafkaProducer(config: config, logger: logger) }, maxBatch: 7,
            signal: signal, metrics: RuntimeMetrics(), memories: [memory], drainTimeout: .seconds(2), logger: logger)
        var n = 0
        func append(_ count: Int, to store: Store) throws {
            for _ in 0..<count {
                n += 1
                let event = CloudEvent(caseID: CaseID("c\(n % 5)"), data: ProbeApplied(requestID: "r\(n)", seq: n))
                try store.write { db in try Outbox.append(event, in: db) }
            }
        }
        let backlog = { try stores.partitions[0].read { db in try Outbox.backlog(in: db) } }
        let owning = Task { try await ownership.run() }
        let running = Task { try await relay.run() }
        for round in 0..<6 {
            try append(10, to: stores.partitions[0])
            if round % 2 == 1 { try append(3, to: other) }
            try append(4, to: stores.partitions[0])
            #expect(await eventually { (try? backlog()) == 0 })
        }
        let order: [String?] = try await stores.partitions[0].read { db in try String.fetchAll(db, sql: "SELECT event_id FROM outbox ORDER BY seq") }
        let published = try await cluster.traffic.readAll(ServiceName.healthScreening.topic)
        let ids = published.map { $0.headers.first { $0.name == Outbox.rowHeader }?.stringValue?.split(separator: " ").last.map(String.init) }
        #expect(ids == order, "every row once, in the store's order")
        running.cancel()
        owning.cancel()
        try? await running.value
    }
}

extension KafkaProducer {
    /// Puts the producer in a fatal state, as a broker-side sequence error would.
    func injectFatalError() {
        _ = rd_kafka_test_fatal_error(handle.pointer, RD_KAFKA_RESP_ERR__FATAL, "injected by a test")
    }
}

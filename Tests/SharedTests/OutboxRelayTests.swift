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
        store.pool.add(transactionObserver: OutboxObserver(signal: signal), extent: .databaseLifetime)
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

extension KafkaProducer {
    /// Puts the producer in a fatal state, as a broker-side sequence error would.
    func injectFatalError() {
        _ = rd_kafka_test_fatal_error(handle.pointer, RD_KAFKA_RESP_ERR__FATAL, "injected by a test")
    }
}

import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Kafka
import Logging
import StageProbeKit
import TestSupport
import Synchronization
import Testing

/// The pipeline fed directly, without Kafka: what one batch does to the partition stores.
@Suite("Event pipeline: exactly one effect, dead letters through the outbox")
struct EventPipelineTests {
    let stores: PartitionStores
    let pipeline: EventPipeline
    var offset: Int64 = 0

    init() throws {
        let stage = ProbeStage(role: .first)
        stores = try PartitionStores(directory: try makeWorkDirectory("pipeline").path, partitionCount: 4, cipher: nil, legacyStore: nil,
                                     partitionedTables: stage.partitionedTables, migrations: stage.migrate)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        pipeline = EventPipeline(
            stores: stores, ownership: PartitionOwnership(stores: stores, holder: "test", ownsAll: true, logger: logger), registry: EventRegistry(stage.eventHandlers.handledEvents), group: "homeward.health-screening",
            deadLetterTopic: "homeward.health-screening.dlq", maxAttempts: 3, metrics: RuntimeMetrics(), logger: logger,
            apply: { [handlers = stage.eventHandlers] event, db, _ in try handlers.apply(event, in: db) })
    }

    /// A record on the partition its key gives (the stores have 4), or on `partition`.
    func message(_ value: Data, key: String?, offset: Int64, partition: Int32? = nil) -> ConsumedMessage {
        ConsumedMessage(topic: "homeward.intake.events",
                        partition: partition ?? key.map { KafkaPartitioner.partition(ofKey: $0.utf8, partitions: 4) } ?? 2,
                        offset: offset, key: key.map { Data($0.utf8) }, value: value, headers: [KafkaHeader(name: "h", string: "v")], timestampMs: nil)
    }

    func message(_ event: CloudEvent<ProbeRequested>, offset: Int64) throws -> ConsumedMessage {
        message(try EventCoding.encoder().encode(event), key: event.subject.rawValue, offset: offset)
    }

    var view: ProbeStoreView { ProbeStoreView(directory: stores.directory) }

    @Test func aRedeliveredBatchHasNoSecondEffect() throws {
        let events = (1...20).map { CloudEvent(caseID: CaseID("c\($0 % 3)"), data: ProbeRequested(seq: $0)) }
        let batch = try events.enumerated().map { try message($1, offset: Int64($0)) }
        try pipeline.handle(batch)
        try pipeline.handle(batch)
        try pipeline.handle(Array(batch.suffix(5)) + Array(batch.prefix(5)))
        let counts = try view.effectCounts()
        #expect(counts.count == 20)
        #expect(counts.values.allSatisfy { $0 == 1 })
        #expect(try view.outboxEventIDs(topic: "homeward.health-screening.events").count == 20)
        #expect(try view.orderViolations() == 0)
    }

    /// The inbox forgets only events received before the cutoff (those Kafka no longer
    /// holds), a bounded batch at a time; the rest still absorb a redelivery.
    @Test func theInboxForgetsOnlyEventsReceivedBeforeTheCutoff() throws {
        let events = (1...20).map { CloudEvent(caseID: CaseID("c\($0)"), data: ProbeRequested(seq: $0)) }
        let batch = try events.enumerated().map { try message($1, offset: Int64($0)) }
        try pipeline.handle(batch)
        let old = Set(events.prefix(10).map(\.id.rawValue))
        let now = Date()
        var before = 0
        for store in stores.partitions {
            before += try store.write { db in
                for id in old { try db.execute(sql: "UPDATE inbox SET received_at = ? WHERE event_id = ?", arguments: [now.timeIntervalSince1970 - 40 * 86_400, id]) }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM inbox")!
            }
        }
        #expect(before == 20)
        var pruned = 0
        for store in stores.partitions {
            while case let batch = try store.write({ db in try Inbox.prune(receivedBefore: now - 32 * 86_400, limit: 2, in: db) }), batch > 0 {
                #expect(batch <= 2)
                pruned += batch
            }
        }
        #expect(pruned == 10)
        var kept: Set<String> = []
        for store in stores.partitions { kept.formUnion(try store.read { db in try Inbox.applied(in: db) }) }
        #expect(kept == Set(events.suffix(10).map(\.id.rawValue)))
        try pipeline.handle(Array(batch.suffix(10)))
        #expect(try view.effectTotal() == 20, "a kept event redelivered has no second effect")
    }

    @Test func theSameEventTwiceInOneBatchAppliesOnce() throws {
        let event = CloudEvent(caseID: "c", data: ProbeRequested(seq: 1))
        try pipeline.handle([try message(event, offset: 0), try message(event, offset: 1)])
        #expect(try view.effectTotal() == 1)
    }

    /// An event keyed for partition 3 that arrives on 0 (another partitioner produced it):
    /// applied, its case's records would be in the wrong store.
    @Test func anEventOnAnotherPartitionThanItsKeyGivesIsDeadLettered() throws {
        let event = CloudEvent(caseID: "c1", data: ProbeRequested(seq: 1))
        try pipeline.handle([message(try EventCoding.encoder().encode(event), key: "c1", offset: 7, partition: 0)])
        #expect(try view.effectTotal() == 0)
        let letters = try stores[0].read { db in try Outbox.unpublished(limit: 10, in: db) }
        #expect(letters.count == 1 && letters[0].topic == "homeward.health-screening.dlq" && letters[0].partition == 0)
        let error = Dictionary(letters[0].headers, uniquingKeysWith: { $1 })["x-dlq-error"] ?? ""
        #expect(error.contains("keyed for partition 3 (murmur2), arrived on 0"), "\(error)")
    }

    @Test func poisonGoesToTheDeadLetterTopicWithProvenanceAndTheRestApplies() throws {
        let good1 = CloudEvent(caseID: "c", data: ProbeRequested(seq: 1))
        let good2 = CloudEvent(caseID: "c", data: ProbeRequested(seq: 2))
        let rejected = CloudEvent(caseID: "c", data: ProbeRequested(seq: 3, reject: true))
        let failing = CloudEvent(caseID: "c", data: ProbeRequested(seq: -1))
        let batch = [
            try message(good1, offset: 10),
            message(Data("{oops".utf8), key: "c", offset: 11),
            try message(rejected, offset: 12),
            try message(failing, offset: 13),
            try message(good2, offset: 14),
        ]
        try pipeline.handle(batch)
        try pipeline.handle(batch)  // redelivered: nothing dead-lettered twice
        #expect(try view.effectTotal() == 2)
        // Records of partition 2 live in partition store 2, poison without a case id too.
        let letters = try stores[2].read { db in try Outbox.unpublished(limit: 100, in: db) }.filter { $0.topic == "homeward.health-screening.dlq" }
        #expect(letters.count == 3)
        for letter in letters {
            let headers = Dictionary(letter.headers, uniquingKeysWith: { $1 })
            #expect(letter.partition == 2)
            #expect(letter.key == "c")
            #expect(headers["x-dlq-original-topic"] == "homeward.intake.events")
            #expect(headers["x-dlq-original-partition"] == "2")
            #expect(headers["x-dlq-consumer-group"] == "homeward.health-screening")
            #expect(headers["h"] == "v")
        }
        let byOffset = Dictionary(uniqueKeysWithValues: letters.map { (Dictionary($0.headers, uniquingKeysWith: { $1 })["x-dlq-original-offset"]!, $0) })
        #expect(byOffset["11"]?.value == Data("{oops".utf8))
        #expect(Dictionary(byOffset["12"]!.headers, uniquingKeysWith: { $1 })["x-dlq-error"] == "probe asked to reject")
        #expect(Dictionary(byOffset["13"]!.headers, uniquingKeysWith: { $1 })["x-dlq-error"]?.contains("after 3 attempts") == true)
    }

    func inbox(_ event: CloudEvent<ProbeRequested>) throws -> Inbox.Outcome? {
        try stores.store(for: event.subject).read { db in try Inbox.outcome(of: event.id.rawValue, in: db) }
    }

    func deadLetters(of event: CloudEvent<ProbeRequested>) throws -> Int {
        try stores.store(for: event.subject).read { db in try Outbox.unpublished(limit: 100, in: db) }.filter { $0.topic.hasSuffix(".dlq") }.count
    }

    /// The same stage over the same stores, its apply wrapped (a cause fixed, a flaky handler).
    func pipeline(acceptRejects: Bool = false, failing: @escaping @Sendable (ReceivedEvent) -> Bool = { _ in false }) -> EventPipeline {
        let stage = ProbeStage(role: .first, acceptRejects: acceptRejects)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return EventPipeline(
            stores: stores, ownership: PartitionOwnership(stores: stores, holder: "test", ownsAll: true, logger: logger), registry: EventRegistry(stage.eventHandlers.handledEvents),
            group: "homeward.health-screening", deadLetterTopic: "homeward.health-screening.dlq", maxAttempts: 3, metrics: RuntimeMetrics(), logger: logger,
            apply: { [handlers = stage.eventHandlers] event, db, _ in
                if failing(event) { throw ProbeFlake() }
                try handlers.apply(event, in: db)
            })
    }

    struct ProbeFlake: Error {}

    /// The inbox row is written before the handler runs (one statement per event): a
    /// dead letter replayed once its cause is fixed is applied once, however often the
    /// replay is redelivered, and one replayed while its cause stays is dead-lettered again.
    @Test func aReplayedDeadLetterIsAppliedOnce() throws {
        let rejected = CloudEvent(caseID: "c", data: ProbeRequested(seq: 1, reject: true))
        let first = try message(rejected, offset: 0)
        try pipeline.handle([first])
        #expect(try inbox(rejected) == .deadLettered)
        var replay = first
        replay.headers.append(KafkaHeader(name: DeadLetterHeader.replay, string: "1"))
        try pipeline.handle([replay])  // the cause not fixed yet: dead-lettered again
        #expect(try inbox(rejected) == .deadLettered)
        #expect(try deadLetters(of: rejected) == 2)
        #expect(try view.effectTotal() == 0)

        // Fixed, beside an event whose handler fails once, so that the batch runs again with savepoints.
        let other = CloudEvent(caseID: "c", data: ProbeRequested(seq: 2))
        let failed = Mutex<Set<String>>([])
        let fixed = pipeline(acceptRejects: true, failing: { event in failed.withLock { $0.insert(event.id.rawValue).inserted && event.id == other.id } })
        try fixed.handle([replay, try message(other, offset: 1)])
        try fixed.handle([replay, replay])
        try pipeline.handle([first])
        #expect(try inbox(rejected) == .applied)
        #expect(try inbox(other) == .applied)
        #expect(try view.effectCounts().values.sorted() == [1, 1])
        #expect(try deadLetters(of: rejected) == 2)
    }

    /// A handler that fails in the savepoint pass is retried alone: its inbox row, written
    /// before it ran, is taken back with its effects, so that the retry applies it once.
    @Test func aFailureRetriedAloneLeavesOneEffectAndOneInboxRow() throws {
        let flaky = CloudEvent(caseID: "c", data: ProbeRequested(seq: 1))
        let good = CloudEvent(caseID: "c", data: ProbeRequested(seq: 2))
        let attempts = Mutex(0)
        // Fails without savepoints, then in the savepoint pass; the retry alone succeeds.
        let pipeline = pipeline(failing: { event in event.id == flaky.id && attempts.withLock { $0 += 1; return $0 <= 2 } })
        try pipeline.handle([try message(flaky, offset: 0), try message(good, offset: 1)])
        #expect(attempts.withLock { $0 } == 3)
        #expect(try inbox(flaky) == .applied)
        #expect(try inbox(good) == .applied)
        #expect(try view.effectCounts().values.sorted() == [1, 1])
        #expect(try deadLetters(of: flaky) == 0)

        // Failing every time: dead-lettered at its last attempt, its inbox row says so.
        let failing = CloudEvent(caseID: "c", data: ProbeRequested(seq: -1))
        try self.pipeline.handle([try message(failing, offset: 2)])
        #expect(try inbox(failing) == .deadLettered)
        #expect(try deadLetters(of: failing) == 1)
    }
}


import ArgumentParser
import Foundation
import HomewardModel
import HomewardRuntime
import HomewardStore
import Kafka
import Logging
import StageProbeKit

/// `homeward-bench apply`: the store side of a stage in one process, without Kafka: the
/// probe stage's events handed to the ``EventPipeline`` in consumer-sized batches (decode,
/// inbox, effect rows, outbox, one transaction per partition of a batch, in sealed
/// partition stores), then read back and marked published as the relay does.
///
/// No broker, no other process: the figure moves only with this code and the machine, and
/// a profiler sees the store side alone (`perf record -g .build/release/homeward-bench apply`).
/// (valgrind 3.19 cannot count it here: it dies at libdispatch's signal thread, which every
/// async Swift main starts.)
struct ApplyCost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply events to sealed partition stores in process, without Kafka: the store side of a stage alone.")

    @Option(help: "Events to apply.")
    var events = 5_000

    @Option(help: "Cases the events are spread over.")
    var cases = 500

    @Option(help: "Partition stores.")
    var partitions = 12

    @Option(help: "Events per batch, as the consumer hands them over (CONSUMER_BATCH_MAX).")
    var batch = 500

    func run() throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homeward-apply-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stage = ProbeStage(role: .first)
        let cipher = try FieldCipher(parsing: FieldCipher.generateKeyText(id: "bench"), active: nil)
        let stores = try PartitionStores(directory: directory, partitionCount: partitions, cipher: cipher, legacyStore: nil,
                                         partitionedTables: stage.partitionedTables, migrations: stage.migrate)
        let ownership = PartitionOwnership(stores: stores, holder: "bench", ownsAll: true, logger: logger)
        let pipeline = EventPipeline(
            stores: stores, ownership: ownership, registry: EventRegistry(stage.handledEvents), group: "bench",
            deadLetterTopic: ServiceName.healthScreening.deadLetterTopic, maxAttempts: 1, metrics: RuntimeMetrics(), logger: logger
        ) { event, db, logger in try stage.apply(event, in: db, logger: logger) }

        let encoder = EventCoding.encoder()
        let messages = try (0..<events).map { i in
            let event = CloudEvent(caseID: CaseID("case-\(i % cases)"), data: ProbeRequested(seq: i / cases + 1))
            let key = Data(event.subject.rawValue.utf8)
            return ConsumedMessage(topic: ServiceName.intake.topic, partition: KafkaPartitioner.partition(ofKey: key, partitions: partitions),
                                   offset: Int64(i), key: key, value: try encoder.encode(event), headers: [], timestampMs: nil)
        }

        let started = ContinuousClock.now
        for chunk in stride(from: 0, to: messages.count, by: batch) {
            try pipeline.handle(Array(messages[chunk..<min(chunk + batch, messages.count)]))
        }
        let applied = ContinuousClock.now
        var published = 0
        for store in stores.partitions {
            while true {
                let records = try store.read { db in try Outbox.unpublished(limit: batch, in: db) }
                guard !records.isEmpty else { break }
                try store.write { db in try Outbox.markPublished(records.map(\.seq), reaching: [], in: db) }
                published += records.count
            }
        }
        let done = ContinuousClock.now
        try stores.close()
        guard published == events else { throw ValidationError("\(published) outbox rows for \(events) events") }
        print("applied \(events) events in \(format(applied - started)) (\(rate(events, applied - started)) events/s); "
              + "read and marked \(published) outbox rows in \(format(done - applied))")
    }
}

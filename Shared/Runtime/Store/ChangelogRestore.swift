import Foundation
import GRDB
public import HomewardStore
public import Kafka
public import Logging

/// Brings a partition store up to its changelog when this replica takes the partition,
/// before it applies any event of it, as Kafka Streams restores a state store: from the
/// offset the local copy last reached, or, for a missing copy or one holding changes that
/// never reached Kafka, whole, from the start. A store whose changelog does not exist yet
/// starts it with a copy of every row.
///
/// The local position is the changelog's row in `outbox_delivered`: where this store's own
/// changelog rows reached, or where a restore stopped. Blocking: runs on the consumer's
/// thread or a thread of its own.
public final class ChangelogRestore: Sendable {
    private let stores: PartitionStores
    public let capture: ChangelogCapture
    private let kafka: KafkaConfig
    private let metrics: RuntimeMetrics
    private let logger: Logger
    private let batch: Int

    public init(stores: PartitionStores, capture: ChangelogCapture, kafka: KafkaConfig, metrics: RuntimeMetrics, batch: Int = 2000, logger: Logger) {
        self.stores = stores
        self.capture = capture
        self.kafka = kafka
        self.metrics = metrics
        self.batch = batch
        self.logger = logger
    }

    /// What a new owner of a partition found.
    public enum Outcome: Sendable, Equatable {
        /// The store was current (or its changelog was empty and now starts with its rows).
        case current
        /// Records were applied from the changelog: `records` from `offset`.
        case restored(records: Int, from: Int64, whole: Bool)
    }

    public enum RestoreError: Error, CustomStringConvertible {
        case truncated(partition: Int32, needed: Int64, first: Int64)
        case leaseLost(partition: Int32)
        case stopped

        public var description: String {
            switch self {
            case .truncated(let partition, let needed, let first):
                "the changelog of partition \(partition) starts at offset \(first), but this store needs it from \(needed): records were deleted (retention or the embedded broker's 5 MiB cap), so the store cannot be rebuilt from it; restore it from a backup (homeward backup) instead"
            case .leaseLost(let partition): "partition \(partition): lease lost during the restore"
            case .stopped: "stopping"
            }
        }
    }

    /// Marks the stores this process made whose changelog holds records: nobody answers from
    /// them until their first owner has restored them (blocking).
    public func markCreatedStores() throws {
        for partition in stores.created.sorted() {
            let (_, high) = try TopicReader.watermarks(topic: capture.topic, partition: partition, config: kafka, logger: logger)
            guard high > 0 else { continue }
            try stores[partition].write { db in try ChangelogCapture.markRestoring(in: db) }
            stores.noteRestoring(partition, true)
        }
    }

    /// Makes partition `partition`'s store current. `renew` keeps the lease while a long
    /// restore runs (false: lost); `stop` ends it early (the store then stays behind, and
    /// the next owner resumes from where it stopped).
    public func prepare(_ partition: Int32, renew: () throws -> Bool, stop: () -> Bool) throws -> Outcome {
        let store = stores[partition]
        let topic = capture.topic
        let (position, unpublished) = try store.read { db in
            (try Int64.fetchOne(db, sql: "SELECT next_offset FROM outbox_delivered WHERE topic = ? AND partition = ?", arguments: [topic, Int64(partition)]),
             try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE topic = ? AND published_at IS NULL)", arguments: [topic]) ?? false)
        }
        let (low, high) = try TopicReader.watermarks(topic: topic, partition: partition, config: kafka, logger: logger)

        if position == nil, high == 0 {
            let rows = try store.write { db in
                let rows = try self.capture.snapshot(partition: partition, in: db)
                try self.setPosition(0, partition: partition, in: db)
                try ChangelogCapture.clearRestoring(in: db)
                return rows
            }
            stores.noteRestoring(partition, false)
            if rows > 0 { logger.info("partition \(partition): changelog started with a copy of the store's \(rows) rows") }
            return .current
        }
        if let position, position >= high {
            if position > high {
                // The topic was emptied or recreated (an embedded broker restarted): start it again from this store.
                let rows = try store.write { db in
                    let rows = try self.capture.snapshot(partition: partition, in: db)
                    try self.setPosition(high, partition: partition, in: db)
                    return rows
                }
                logger.warning("partition \(partition): the changelog ends at \(high), before this store's position \(position); it starts again with a copy of the store's \(rows) rows")
            }
            if stores.isRestoring(partition) {
                try store.write { db in try ChangelogCapture.clearRestoring(in: db) }
                stores.noteRestoring(partition, false)
            }
            return .current
        }

        // The changelog holds changes this copy lacks. A copy with changes of its own that
        // never reached Kafka diverged from it (another owner went on without them): the
        // changelog wins, and the copy is rebuilt whole.
        let whole = position == nil || unpublished
        let from = whole ? 0 : position!
        guard from >= low else { throw RestoreError.truncated(partition: partition, needed: from, first: low) }
        try store.write { db in
            try ChangelogCapture.markRestoring(in: db)
            if whole {
                try self.capture.wipe(in: db)
                try self.capture.forgetCaptured(after: 0, in: db)
            }
        }
        stores.noteRestoring(partition, true)
        let started = ContinuousClock.now
        var lastLog = started
        var applied = 0
        let total = high - from
        logger.info("partition \(partition): restoring \(total) changelog records from offset \(from)\(whole ? " (the whole store)" : "")")
        metrics.restoreRemaining(partition, Int(total))
        try TopicReader.scan(topic: topic, partition: partition, from: from, to: high, batch: batch, config: kafka, logger: logger, stop: stop) { records in
            guard try renew() else { throw RestoreError.leaseLost(partition: partition) }
            try store.write { db in
                let before = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox") ?? 0
                for record in records {
                    guard let key = record.key else { throw ChangelogError.badRecord("no key at offset \(record.offset)") }
                    try self.capture.apply(key: key, value: record.value, in: db)
                }
                try self.capture.forgetCaptured(after: before, in: db)
                try self.setPosition(records.last!.offset + 1, partition: partition, in: db)
            }
            applied += records.count
            metrics.restoredRecords.increment(by: records.count)
            metrics.restoreRemaining(partition, Int(high - (records.last!.offset + 1)))
            if ContinuousClock.now - lastLog > .seconds(5) {
                logger.info("partition \(partition): restored \(applied) of \(total) changelog records")
                lastLog = .now
            }
        }
        guard !stop() else { throw RestoreError.stopped }
        try store.write { db in try ChangelogCapture.clearRestoring(in: db) }
        stores.noteRestoring(partition, false)
        let took = started.duration(to: .now)
        metrics.restoreDuration.recordInterval(took)
        metrics.restoreRemaining(partition, 0)
        logger.info("partition \(partition): store restored from its changelog, \(applied) records in \(took)")
        return .restored(records: applied, from: from, whole: whole)
    }

    private func setPosition(_ offset: Int64, partition: Int32, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO outbox_delivered (topic, partition, next_offset) VALUES (?, ?, ?)
            ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset
            """, arguments: [capture.topic, Int64(partition), offset])
    }
}

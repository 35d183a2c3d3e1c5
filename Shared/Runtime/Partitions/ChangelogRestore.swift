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
        case noPosition(partition: Int32)
        case stopped

        public var description: String {
            switch self {
            case .truncated(let partition, let needed, let first):
                "the changelog of partition \(partition) starts at offset \(first), but this store needs it from \(needed): records were deleted (retention or the embedded broker's 5 MiB cap), so the store cannot be rebuilt from it; restore it from a backup (homeward backup) instead"
            case .leaseLost(let partition): "partition \(partition): lease lost during the restore"
            case .noPosition(let partition):
                "partition \(partition): the store has records but no position in its changelog, which has records too: it ran without its changelog (STORE_CHANGELOG off), or it is a copy from before one. Neither can win by itself: to keep this store, delete and recreate the changelog topic (it then starts again with a copy of the stores); to keep the changelog, delete this store"
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
            try stores.setRestoring(partition, true)
        }
    }

    /// Makes partition `partition`'s store current. `renew` keeps the lease while a long
    /// restore runs (false: lost); `stop` ends it early (the store then stays behind, and
    /// the next owner resumes from where it stopped).
    public func prepare(_ partition: Int32, renew: () throws -> Bool, stop: () -> Bool) throws -> Outcome {
        let store = stores[partition]
        let topic = capture.topic
        let position = try store.read { db in
            try self.position(partition, in: db)
        }
        let (low, high) = try TopicReader.watermarks(topic: topic, partition: partition, config: kafka, logger: logger)

        if position == nil, high == 0 {
            let rows = try store.write { db in
                let rows = try self.capture.snapshot(partition: partition, in: db)
                try self.setPosition(0, partition: partition, in: db)
                return rows
            }
            if stores.isRestoring(partition) { try stores.setRestoring(partition, false) }
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
            if stores.isRestoring(partition) { try stores.setRestoring(partition, false) }
            return .current
        }

        // Past this copy's position: its own records (an owner killed before marking them:
        // marked now, never applied over newer local values), or another owner's (a host
        // that went on while this copy was away: applied). A copy left with changes that
        // are not in Kafka, while another owner went on without them, diverged: the
        // changelog wins, and the copy is rebuilt whole.
        if let position {
            guard position >= low else { throw RestoreError.truncated(partition: partition, needed: position, first: low) }
            try begin(partition, wiping: false)
            let started = ContinuousClock.now
            let pass = try replay(partition, from: position, to: high, skippingOwn: true, renew: renew, stop: stop)
            let diverged = try pass.applied > 0 && store.read { db in
                try Outbox.hasUnpublished(topic: topic, in: db)
            }
            if !diverged {
                try finish(partition, started: started, applied: pass.applied, whole: false)
                if pass.own > 0 { logger.info("partition \(partition): \(pass.own) changelog records past the store's position were its own, published by an owner stopped before marking them; marked") }
                return pass.applied > 0 ? .restored(records: pass.applied, from: position, whole: false) : .current
            }
            logger.warning("partition \(partition): this copy holds changes that never reached Kafka while another owner went on without them; it is rebuilt whole from the changelog")
        }
        if position == nil, try store.read({ db in try self.capture.hasRows(in: db) }) {
            throw RestoreError.noPosition(partition: partition)
        }
        guard low == 0 else { throw RestoreError.truncated(partition: partition, needed: 0, first: low) }
        try begin(partition, wiping: true)
        let started = ContinuousClock.now
        let pass = try replay(partition, from: 0, to: high, skippingOwn: false, renew: renew, stop: stop)
        try finish(partition, started: started, applied: pass.applied, whole: true)
        return .restored(records: pass.applied, from: 0, whole: true)
    }

    /// Brings a standby copy (a partition store this replica keeps warm but does not own) up
    /// to its changelog: the records applied, and how many it still lacks. It never starts
    /// or rewrites a changelog, and it leaves a copy holding changes of its own (unpublished
    /// changelog rows) or rows without a position to the restore of its next owner, which
    /// settles which side wins. A copy built from nothing stays marked as restoring until
    /// that owner has it.
    public func warm(_ partition: Int32, renew: () throws -> Bool, stop: () -> Bool) throws -> (applied: Int, behind: Int64) {
        let store = stores[partition]
        let topic = capture.topic
        let (position, own) = try store.read { db in
            (try self.position(partition, in: db),
             try Outbox.hasUnpublished(topic: topic, in: db))
        }
        let (low, high) = try TopicReader.watermarks(topic: topic, partition: partition, config: kafka, logger: logger)
        let behind = max(0, high - (position ?? 0))
        guard behind > 0, !own else { return (0, behind) }
        if let position {
            guard position >= low else { throw RestoreError.truncated(partition: partition, needed: position, first: low) }
        } else {
            guard try !store.read({ db in try self.capture.hasRows(in: db) }) else { return (0, behind) }
            guard low == 0 else { throw RestoreError.truncated(partition: partition, needed: 0, first: low) }
            try begin(partition, wiping: true)
        }
        do {
            let applied = try replay(partition, from: position ?? 0, to: high, skippingOwn: false, standby: true, renew: renew, stop: stop).applied
            return (applied, 0)
        } catch RestoreError.stopped {
            return (0, behind)
        }
    }

    /// Marks the store as being restored (nobody answers from it), emptied first when it is
    /// rebuilt whole.
    private func begin(_ partition: Int32, wiping: Bool) throws {
        try stores.setRestoring(partition, true)
        guard wiping else { return }
        try stores[partition].write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            try self.capture.wipe(in: db)
            try self.capture.forgetCaptured(after: 0, in: db)
        }
    }

    private func finish(_ partition: Int32, started: ContinuousClock.Instant, applied: Int, whole: Bool) throws {
        try stores.setRestoring(partition, false)
        metrics.restoreRemaining(partition, 0)
        guard applied > 0 || whole else { return }
        let took = started.duration(to: .now)
        metrics.restoreDuration.recordInterval(took)
        logger.info("partition \(partition): store restored from its changelog, \(applied) records in \(took)\(whole ? " (the whole store)" : "")")
    }

    /// Applies the records of `[from, high)` in transactions of ``batch``, recording the
    /// position reached with each; with `skippingOwn`, a record of one of this store's own
    /// unpublished rows marks that row instead. A `standby` pass (``warm(_:renew:stop:)``)
    /// counts apart and logs only long passes.
    private func replay(_ partition: Int32, from: Int64, to high: Int64, skippingOwn: Bool, standby: Bool = false,
                        renew: () throws -> Bool, stop: () -> Bool) throws -> (applied: Int, own: Int) {
        let store = stores[partition]
        var (applied, own) = (0, 0)
        var lastLog = ContinuousClock.now
        let total = high - from
        if total > (standby ? Int64(batch) : 0) {
            logger.info("partition \(partition): reading \(total) changelog records from offset \(from)\(standby ? " into its standby copy" : "")")
        }
        if !standby { metrics.restoreRemaining(partition, Int(total)) }
        try TopicReader.scan(topic: capture.topic, partition: partition, from: from, to: high, batch: batch, config: kafka, logger: logger, stop: stop) { records in
            guard try renew() else { throw RestoreError.leaseLost(partition: partition) }
            let (batchApplied, batchOwn) = try store.write { db in
                try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                let before = try Outbox.lastSeq(in: db)
                var (applied, own) = (0, 0)
                for record in records {
                    if skippingOwn, let row = record.headers.first(where: { $0.name == Outbox.rowHeader })?.stringValue,
                       try Outbox.markPublished(rowHeaders: [row], reaching: [], in: db) > 0 {
                        own += 1
                        continue
                    }
                    guard let key = record.key else { throw ChangelogError.badRecord("no key at offset \(record.offset)") }
                    try self.capture.apply(key: key, value: record.value, in: db)
                    applied += 1
                }
                try self.capture.forgetCaptured(after: before, in: db)
                try self.setPosition(records.last!.offset + 1, partition: partition, in: db)
                return (applied, own)
            }
            applied += batchApplied
            own += batchOwn
            if standby {
                metrics.standbyRecords.increment(by: batchApplied)
            } else {
                metrics.restoredRecords.increment(by: batchApplied)
                metrics.restoreRemaining(partition, Int(high - (records.last!.offset + 1)))
            }
            if ContinuousClock.now - lastLog > .seconds(5) {
                logger.info("partition \(partition): read \(applied + own) of \(total) changelog records")
                lastLog = .now
            }
        }
        guard !stop() else { throw RestoreError.stopped }
        return (applied, own)
    }

    /// Where this copy stands in its changelog: the offset after the last record it has.
    private func position(_ partition: Int32, in db: Database) throws -> Int64? {
        try Outbox.reached(topic: capture.topic, partition: partition, in: db)
    }

    private func setPosition(_ offset: Int64, partition: Int32, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO outbox_delivered (topic, partition, next_offset) VALUES (?, ?, ?)
            ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset
            """, arguments: [capture.topic, Int64(partition), offset])
    }
}

import Foundation
import Metrics
public import GRDB
public import HomewardModel
import HomewardStore
public import Kafka
public import Logging

/// Consumer → partition stores: applies batches of records, each event once, in one
/// transaction per partition of the batch, in the store of that partition (the topics are
/// co-partitioned, so a record's partition number is its case's). For every record the
/// state change, the inbox record and the outbox events commit together; the consumer
/// stores offsets only after this returns. A partition is applied only while this replica
/// owns its store (``PartitionOwnership``).
///
/// Records that cannot be decoded (malformed JSON, unknown type or version, no case id),
/// records keyed for another partition (a producer with another partitioner than murmur2:
/// applied here, a case's records would land in another partition's store) and events the
/// handler rejects go to the dead-letter topic at once; events whose
/// handler fails otherwise are retried alone, up to `maxAttempts`, then dead-lettered.
public final class EventPipeline: Sendable {
    /// Applies one event inside the batch transaction (in a savepoint of its own once a
    /// handler of the batch has thrown).
    public typealias Apply = @Sendable (ReceivedEvent, Database, Logger) throws -> Void

    private let stores: PartitionStores
    private let ownership: PartitionOwnership
    private let registry: EventRegistry
    private let group: String
    private let deadLetterTopic: String
    private let maxAttempts: Int
    /// Between attempts at one event: 80 ms, doubling, at most 1 s.
    private static let backoff = Backoff(first: .milliseconds(80), limit: .seconds(1))
    private let apply: Apply
    private let metrics: RuntimeMetrics
    private let logger: Logger
    /// With a changelog: offsets wait until the batch's changes are in Kafka.
    private let progress: ChangelogProgress?

    public init(
        stores: PartitionStores, ownership: PartitionOwnership, registry: EventRegistry, group: String, deadLetterTopic: String, maxAttempts: Int,
        metrics: RuntimeMetrics, changelog progress: ChangelogProgress? = nil, logger: Logger, apply: @escaping Apply
    ) {
        self.progress = progress
        self.stores = stores
        self.ownership = ownership
        self.registry = registry
        self.group = group
        self.deadLetterTopic = deadLetterTopic
        self.maxAttempts = maxAttempts
        self.apply = apply
        self.metrics = metrics
        self.logger = logger
    }

    private enum Item {
        case event(ReceivedEvent, ConsumedMessage)
        case poison(ConsumedMessage, EventDecodingError)
        /// Keyed for another partition than the one it arrived on.
        case misplaced(ConsumedMessage, keyedFor: Int32)
        case notForUs

        var message: ConsumedMessage? {
            switch self {
            case .event(_, let message), .poison(let message, _), .misplaced(let message, _): message
            case .notForUs: nil
            }
        }
    }

    private enum Outcome {
        case applied, duplicate, skipped
        case deadLettered(reason: String, error: String)
        case failed(any Error)
    }

    /// A handler threw in a batch applied without savepoints: the batch is rolled back and
    /// applied again with one savepoint per event.
    private struct NeedsSavepoints: Error {}

    /// The consumer's batch handler. Throws only when a store itself fails, or when the
    /// consumer stops while another replica still holds a partition's store (the rest of
    /// the batch is then redelivered; the inbox makes that safe).
    public func handle(_ messages: [ConsumedMessage], stopping: () -> Bool = { false }) throws {
        var byPartition: [Int32: [ConsumedMessage]] = [:]
        for message in messages { byPartition[message.partition, default: []].append(message) }
        let decoder = registry.makeDecoder()
        var committed: [(partition: Int32, seq: Int64)] = []
        for (partition, records) in byPartition.sorted(by: { $0.key < $1.key }) {
            guard Int(partition) < stores.count else { throw PartitionMismatch(partition: partition, count: stores.count) }
            guard ownership.awaitHeld(partition, stop: stopping) else { throw NotOwned(partition: partition) }
            try apply(records, in: stores[partition], decoder: decoder)
            if progress != nil { committed.append((partition, try stores[partition].read { db in try Outbox.lastSeq(in: db) })) }
        }
        // The offsets are stored when this returns: not before the batch's changes are in the
        // changelog, or a host lost now would lose them (one wait for all its partitions,
        // which the relay publishes together). Stopping, the relay still runs for a while;
        // a partition lost meanwhile is re-read by its next owner.
        let now = Date()
        if let progress {
            var stopSeen: ContinuousClock.Instant?
            for (partition, seq) in committed {
                let reached = progress.waitBlocking(partition, through: seq) {
                    guard ownership.isHeld(partition) else { return true }
                    guard stopping() else { return false }
                    if stopSeen == nil { stopSeen = .now }
                    return stopSeen!.duration(to: .now) > .seconds(3)
                }
                guard reached else { throw NotOwned(partition: partition) }
            }
        }
        for message in messages {
            if let timestamp = message.timestampMs { metrics.hop(topic: message.topic, timestampMs: timestamp, committedAt: now) }
        }
    }

    struct NotOwned: Error, CustomStringConvertible {
        let partition: Int32
        var description: String { "partition \(partition) is not owned by this replica now" }
    }

    struct PartitionMismatch: Error, CustomStringConvertible {
        let partition: Int32
        let count: Int
        var description: String { "a record on partition \(partition), but the stores have \(count) partitions" }
    }

    /// One partition's records in one transaction of its store; handler failures retried alone.
    private func apply(_ messages: [ConsumedMessage], in store: Store, decoder: JSONDecoder) throws {
        let items: [Item] = messages.map { message in
            if let key = message.key {
                let keyedFor = KafkaPartitioner.partition(ofKey: key, partitions: stores.count)
                if keyedFor != message.partition { return .misplaced(message, keyedFor: keyedFor) }
            }
            do throws(EventDecodingError) {
                guard let event = try registry.decode(message.value, key: message.keyString, decoder: decoder) else { return .notForUs }
                return .event(event, message)
            } catch {
                return .poison(message, error)
            }
        }
        // Handlers rarely throw: the batch is first applied without a savepoint per event
        // (two statements each, prepared anew), and only a batch in which one threw is
        // rolled back and applied again with them.
        var outcomes: [Outcome] = []
        do {
            outcomes = try store.write { db in try items.map { try self.process($0, db: db, savepoint: false, lastAttempt: false) } }
        } catch is NeedsSavepoints {
            outcomes = try store.write { db in
                try items.map { try self.process($0, db: db, savepoint: true, lastAttempt: self.maxAttempts == 1) }
            }
        }
        var retry: [(ReceivedEvent, ConsumedMessage, any Error)] = []
        var tally = Tally()
        for (item, outcome) in zip(items, outcomes) {
            if case .failed(let error) = outcome, case .event(let event, let message) = item {
                retry.append((event, message, error))
            } else {
                record(outcome, of: item, in: &tally)
            }
        }
        tally.count(in: metrics)
        for (event, message, firstError) in retry {
            try retryAlone(event, message, in: store, firstError: firstError)
        }
    }

    /// A batch's outcomes by event type, counted in the metrics once per batch: a counter
    /// looked up per event (its label joined and hashed, under a lock) cost the probe stage
    /// about 1.4 % of its instructions.
    private struct Tally {
        var consumed: [String: Int] = [:], applied: [String: Int] = [:], duplicate: [String: Int] = [:]

        func count(in metrics: RuntimeMetrics) {
            for (type, count) in consumed { metrics.consumed(type, count: count) }
            for (type, count) in applied { metrics.applied(type, count: count) }
            for (type, count) in duplicate { metrics.duplicate(type, count: count) }
        }
    }

    /// Metrics and logs of a committed outcome (not before: a batch may be applied twice).
    private func record(_ outcome: Outcome, of item: Item, in tally: inout Tally) {
        let type: String
        switch item {
        case .notForUs: return
        case .poison: type = "undecodable"
        case .misplaced: type = "misplaced"
        case .event(let event, _): type = event.type.cloudEventsType
        }
        tally.consumed[type, default: 0] += 1
        switch outcome {
        case .applied: tally.applied[type, default: 0] += 1
        case .duplicate: tally.duplicate[type, default: 0] += 1
        case .deadLettered(let reason, let error):
            metrics.deadLettered(reason: reason)
            guard let message = item.message else { return }
            logger.error("event dead-lettered", metadata: [
                "reason": "\(reason)", "error": "\(error)", "topic": "\(message.topic)",
                "partition": "\(message.partition)", "offset": "\(message.offset)",
            ])
        case .skipped, .failed: break
        }
    }

    private func retryAlone(_ event: ReceivedEvent, _ message: ConsumedMessage, in store: Store, firstError: any Error) throws {
        var lastError = firstError
        for attempt in 2...max(2, maxAttempts) {
            logger.warning("event handler failed; retrying", metadata: [
                "event_id": "\(event.id)", "case_id": "\(event.caseID)", "type": "\(event.type)",
                "attempt": "\(attempt)", "error": "\(lastError)",
            ])
            Self.backoff.pause(afterFailures: attempt - 1)
            let outcome = try store.write { db in
                try self.process(.event(event, message), db: db, savepoint: true, lastAttempt: attempt >= self.maxAttempts)
            }
            guard case .failed(let error) = outcome else {
                var tally = Tally()
                record(outcome, of: .event(event, message), in: &tally)
                return tally.count(in: metrics)
            }
            lastError = error
        }
    }

    /// Applies one item. Without `savepoint`, a handler that throws aborts the batch
    /// (``NeedsSavepoints``); with it, its writes alone are undone and the event is
    /// dead-lettered or retried.
    private func process(_ item: Item, db: Database, savepoint: Bool, lastAttempt: Bool) throws -> Outcome {
        switch item {
        case .notForUs:
            return .skipped
        case .poison(let message, let error):
            let inboxID = DeadLetter.inboxID(of: message, eventID: nil)
            guard !(try Inbox.contains(inboxID, in: db)) else { return .duplicate }
            return try deadLetter(message, inboxID: inboxID, reason: "undecodable", error: error.description, db: db)

        case .misplaced(let message, let keyedFor):
            // Applying it here would put a case's records in another partition's store.
            let inboxID = DeadLetter.inboxID(of: message, eventID: nil)
            guard !(try Inbox.contains(inboxID, in: db)) else { return .duplicate }
            return try deadLetter(message, inboxID: inboxID, reason: "wrong-partition",
                                  error: "keyed for partition \(keyedFor) (murmur2), arrived on \(message.partition): produced with another partitioner; replay it", db: db)

        case .event(let event, let message):
            let claimed = claimsFirst
            guard try admit(event.id.rawValue, message, claiming: claimed, db: db) else { return .duplicate }
            let started = ContinuousClock.now
            do {
                try EventLogContext.$event.withValue(event) {
                    if savepoint {
                        try db.inSavepoint {
                            try apply(event, db, logger)
                            return .commit
                        }
                    } else {
                        try apply(event, db, logger)
                    }
                }
            } catch where !savepoint {
                throw NeedsSavepoints()
            } catch let rejection as EventRejected {
                return try deadLetter(message, inboxID: event.id.rawValue, reason: "rejected", error: rejection.rule, db: db)
            } catch {
                guard lastAttempt else {
                    // Tried again later: no inbox row, as if it had not been seen.
                    if claimed { try Inbox.forget(event.id.rawValue, in: db) }
                    return .failed(error)
                }
                return try deadLetter(message, inboxID: event.id.rawValue, reason: "handler-failed",
                                      error: "handler failed after \(maxAttempts) attempts: \(error)", db: db)
            }
            metrics.handlerDuration.recordInterval(started.duration(to: .now))
            if !claimed { try Inbox.record(event.id.rawValue, group: group, outcome: .applied, in: db) }
            return .applied
        }
    }

    /// Whether the inbox row of an event is written before its handler runs (one statement
    /// per event, ``Inbox/claim(_:group:in:)``, reading the inbox only for an event seen
    /// before) or after it. Before, without a changelog: the transaction commits whole or not
    /// at all. After, with one: its capture triggers write the changelog in statement order,
    /// and a changelog published in part (a host lost between two of the relay's batches)
    /// must hold an event's effect without its inbox row (applied again when redelivered),
    /// never its inbox row without its effect (skipped when redelivered: lost).
    private var claimsFirst: Bool { stores.changelog == nil }

    /// Whether an event is to be applied: not seen before, or a dead letter an operator
    /// replays once its cause is fixed (applied once from here). With `claiming`, its inbox
    /// row says applied when this returns true (undone by the caller if its handler fails).
    private func admit(_ eventID: String, _ message: ConsumedMessage, claiming: Bool, db: Database) throws -> Bool {
        if claiming, try Inbox.claim(eventID, group: group, in: db) { return true }
        switch try Inbox.outcome(of: eventID, in: db) {
        case .deadLettered? where message.headers[DeadLetterHeader.replay] != nil:
            if claiming { try Inbox.reclaimDeadLetter(eventID, group: group, in: db) } else { try Inbox.forgetDeadLetter(eventID, in: db) }
            return true
        case .some:
            return false
        case nil:
            return true
        }
    }

    private func deadLetter(_ message: ConsumedMessage, inboxID: String, reason: String, error: String, db: Database) throws -> Outcome {
        try DeadLetter.append(message, inboxID: inboxID, group: group, deadLetterTopic: deadLetterTopic, error: error, in: db)
        try Inbox.recordDeadLettered(inboxID, group: group, in: db)
        return .deadLettered(reason: reason, error: error)
    }
}

extension Metrics.Timer {
    func recordInterval(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

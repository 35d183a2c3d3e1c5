import Foundation
public import HomewardStore
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Outbox → Kafka: publishes the unpublished outbox rows of every partition store this
/// replica owns, each store's in commit order, to that store's partition number, and marks
/// them published only on the broker's acknowledgement. After a crash the next owner starts
/// again from the first unpublished row: at worst a record is published twice, which
/// consumers' inboxes absorb. Only the owner of a partition publishes it
/// (``PartitionOwnership``), so per-case order holds however many replicas run, and
/// publishing scales with them.
public final class OutboxRelay: Service {
    private let stores: PartitionStores
    private let ownership: PartitionOwnership
    private let makeProducer: @Sendable () throws -> KafkaProducer
    /// Replaced when it enters a fatal state; touched only by ``run()``.
    private let producer: Mutex<KafkaProducer>
    private let maxBatch: Int
    private let retention: Duration
    /// How long the inbox remembers an event (nil: for good); pruned with the outbox.
    private let inboxRetention: Duration?
    private let signal: RelaySignal
    private let metrics: RuntimeMetrics
    private let logger: Logger
    private let drainTimeout: Duration
    private let kafka: KafkaConfig
    /// The stores' changelog topic, published ahead of events; nil without a changelog.
    private let changelogTopic: String?
    /// Partitions whose changelog another owner wrote to: said once (the position then stays behind for every later batch).
    private let gapsLogged = Mutex<Set<Int32>>([])
    private let progress: ChangelogProgress?
    /// Which stores were written since the relay last read them; touched only by ``run()``.
    private let writes = StoreWrites()
    /// Each partition store's records committed by this process, published from memory when
    /// they follow what the relay knows handled; nil: every batch is read from the stores
    /// (with a changelog, whose rows only the stores know).
    private let memories: [OutboxMemory]?
    /// Per partition, for one tenure of it: the `seq` after which no row is unpublished
    /// but those in flight (every row before it was published, or is being).
    private let handled = Mutex<[Int32: (next: Int64, tenure: Int)]>([:])

    public init(stores: PartitionStores, ownership: PartitionOwnership, kafka: KafkaConfig,
                makeProducer: @escaping @Sendable () throws -> KafkaProducer, maxBatch: Int, retention: Duration = .seconds(7 * 24 * 3600), inboxRetention: Duration? = nil, signal: RelaySignal, metrics: RuntimeMetrics,
                changelog: (topic: String, progress: ChangelogProgress)? = nil, memories: [OutboxMemory]? = nil, drainTimeout: Duration, logger: Logger) throws {
        self.changelogTopic = changelog?.topic
        self.memories = changelog == nil ? memories : nil
        self.progress = changelog?.progress
        self.retention = retention
        self.inboxRetention = inboxRetention
        self.stores = stores
        self.ownership = ownership
        self.kafka = kafka
        self.makeProducer = makeProducer
        self.producer = Mutex(try makeProducer())
        self.maxBatch = maxBatch
        self.signal = signal
        self.metrics = metrics
        self.drainTimeout = drainTimeout
        self.logger = logger
    }

    public func run() async throws {
        var backlogMeasuredAt = ContinuousClock.now - .seconds(3600)
        var prunedAt = backlogMeasuredAt
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if ContinuousClock.now - backlogMeasuredAt > .seconds(2) {
                    let held = ownership.held
                    metrics.ownedPartitions.record(held.count)
                    var backlog: [Int32: Int] = [:]
                    for partition in held { backlog[partition] = try await stores[partition].read { db in try Outbox.backlog(in: db) } }
                    metrics.outboxBacklog(backlog)
                    backlogMeasuredAt = .now
                }
                if ContinuousClock.now - prunedAt > .seconds(3600) {
                    let age = TimeInterval(retention.components.seconds)
                    var pruned = 0
                    for partition in ownership.held {
                        pruned += try await stores[partition].write { db in try Outbox.prunePublished(olderThan: age, in: db) }
                    }
                    if pruned > 0 { logger.info("outbox: deleted \(pruned) rows published more than \(retention) ago") }
                    if let inboxRetention {
                        let age = TimeInterval(inboxRetention.components.seconds)
                        var forgotten = 0
                        for partition in ownership.held { forgotten += try await stores[partition].write { db in try Inbox.prune(olderThan: age, in: db) } }
                        if forgotten > 0 { logger.info("inbox: forgot \(forgotten) events received more than \(inboxRetention) ago") }
                    }
                    prunedAt = .now
                }
                // Rows written by another replica's requests wake no signal here: the timeout finds them.
                if try await publishBatch(skippingUnchanged: true) == 0 { await signal.wait(timeout: .milliseconds(100)) }
            } catch {
                logger.error("outbox relay: \(error)")
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        await drain()
        await producer.withLock { $0 }.close(timeout: .seconds(3))
    }

    /// The producer in use now.
    var currentProducer: KafkaProducer { producer.withLock { $0 } }

    /// Swaps a producer in a fatal state for a new one. What it failed to deliver stays
    /// unpublished and goes out again through the new one.
    private func replaceProducerIfFatal() async throws {
        let current = currentProducer
        guard let fatal = current.fatalError else { return }
        logger.critical("Kafka producer in a fatal state (\(fatal)); replacing it")
        await current.close(timeout: .seconds(1))
        let fresh = try makeProducer()
        producer.withLock { $0 = fresh }
    }

    /// Publishes what the service committed before it stopped taking work, then lets go of
    /// its partition stores.
    private func drain() async {
        let deadline = ContinuousClock.now.advanced(by: drainTimeout)
        while ContinuousClock.now < deadline {
            guard let published = try? await publishBatch(), published > 0 else { break }
        }
        ownership.releaseAll()
    }

    /// Publishes every changelog row the stores of `partitions` hold, as this replica lets
    /// go of them (``PartitionOwnership/publishesOnRelease(_:)``), one round trip per batch
    /// for all of them: their next owners restore after it. False if a send failed.
    public func publishChangelog(_ partitions: [Int32]) async -> Bool {
        guard let changelog = changelogTopic, !partitions.isEmpty else { return true }
        do {
            while true {
                var batches: [(partition: Int32, records: [OutboxRecord])] = []
                for partition in partitions {
                    let records = try await stores[partition].read { [maxBatch] db in
                        try Outbox.unpublished(topic: changelog, including: true, through: .max, limit: maxBatch, in: db)
                    }
                    if !records.isEmpty { batches.append((partition, records)) }
                }
                guard !batches.isEmpty else { return true }
                if try await send(batches).failed { return false }
            }
        } catch {
            logger.warning("partitions \(partitions.map(String.init).joined(separator: ",")): changelog not published: \(error)")
            return false
        }
    }

    /// A store taken over from an owner that never released it may hold rows that owner
    /// published but was killed before marking. Each record names its row in a header: read
    /// the partition from where the store last recorded reaching, and mark those found, so
    /// that nothing is published twice. (An owner that released its store had marked all.)
    private func checkPredecessor(_ partition: Int32) async throws {
        let store = stores[partition]
        for position in try await store.read({ db in try Outbox.pendingPositions(partition: partition, in: db) }) {
            let records = try await TopicReader.read(topic: position.topic, partition: position.partition, from: position.nextOffset,
                                                     config: kafka, timeout: .seconds(30), logger: logger)
            let rows = records.compactMap { record in
                record.headers.first { $0.name == Outbox.rowHeader }.map { String(decoding: $0.value, as: UTF8.self) }
            }
            let reached = DeliveredPosition(topic: position.topic, partition: position.partition,
                                            nextOffset: (records.map(\.offset).max() ?? position.nextOffset - 1) + 1)
            let marked = try await store.write { db in try Outbox.markPublished(rowHeaders: rows, reaching: [reached], in: db) }
            if marked > 0 {
                logger.info("partition \(partition): \(marked) outbox rows were published by the previous owner; marked, not sent again")
            }
        }
        ownership.predecessorChecked(partition)
    }

    /// Publishes one batch from each owned partition store, all in one round trip to the
    /// broker; returns how many rows it published. Its reads and marks block the task for
    /// a moment instead of awaiting GRDB's queues: with a hop there and back per store and
    /// per batch, the threads besides the consumer's spent a third of their samples in
    /// futex waits and thread switches.
    ///
    /// With a changelog, each store's changelog rows committed so far go first, all of them,
    /// and its events only once those are acknowledged: a store restored from its changelog
    /// then never lacks the change that caused an event already published (its input would
    /// be applied again, and publish a second event for one fact).
    func publishBatch(skippingUnchanged: Bool = false) async throws -> Int {
        let held = ownership.held
        let changed = skippingUnchanged ? writes.changed(held, path: { stores[$0].path }) : nil
        if let memories { forgetUnheld(held, memories) }
        let partitions = held.filter {
            (changed?.contains($0) ?? true || memories?[Int($0)].isEmpty == false) && ownership.beginPublishing($0)
        }
        defer { partitions.forEach(ownership.endPublishing) }
        var bounds: [Int32: Int64] = [:]
        for partition in partitions {
            if ownership.needsPredecessorCheck(partition) { try await checkPredecessor(partition) }
            if changelogTopic != nil { bounds[partition] = try blocking { try stores[partition].read { db in try Outbox.lastSeq(in: db) } } }
        }
        let maxBatch = self.maxBatch
        var published = 0
        if let changelog = changelogTopic {
            var open = partitions
            while !open.isEmpty {
                var batches: [(partition: Int32, records: [OutboxRecord])] = []
                for partition in open {
                    let bound = bounds[partition]!
                    let records = try blocking {
                        try stores[partition].read { db in try Outbox.unpublished(topic: changelog, including: true, through: bound, limit: maxBatch, in: db) }
                    }
                    if !records.isEmpty { batches.append((partition, records)) }
                }
                guard !batches.isEmpty else { break }
                let (sent, failed) = try await send(batches)
                published += sent
                if failed { return published }
                open = batches.filter { $0.records.count == maxBatch }.map(\.partition)
            }
            for partition in partitions { progress?.reached(partition, through: bounds[partition]!) }
        }
        var batches: [(partition: Int32, records: [OutboxRecord])] = []
        // Where each partition's rows are all handled once this batch is acknowledged, and for which tenure.
        var reaching: [Int32: (next: Int64, tenure: Int)] = [:]
        for partition in partitions {
            let tenure = memories == nil ? nil : ownership.tenure(of: partition)
            if let tenure, let records = fromMemory(partition, tenure: tenure) {
                batches.append((partition, records))
                reaching[partition] = (records.last!.seq + 1, tenure)
                continue
            }
            guard changed?.contains(partition) ?? true else { continue }
            let bound = bounds[partition] ?? .max
            let (records, last) = try blocking {
                try stores[partition].read { [changelogTopic] db -> ([OutboxRecord], Int64) in
                    if let changelogTopic {
                        return (try Outbox.unpublished(topic: changelogTopic, including: false, through: bound, limit: maxBatch, in: db), 0)
                    }
                    let records = try Outbox.unpublished(limit: maxBatch, in: db)
                    return (records, tenure == nil ? 0 : try Outbox.lastSeq(in: db))
                }
            }
            // Read in one snapshot: a row committed after it has a later seq than `last`.
            if let tenure { reaching[partition] = ((records.count < maxBatch ? max(records.last?.seq ?? 0, last) : records.last!.seq) + 1, tenure) }
            if !records.isEmpty { batches.append((partition, records)) }
        }
        var sent: (sent: Int, failed: Bool) = (0, false)
        if !batches.isEmpty { sent = try await send(batches) }
        // After a failed send, what was not acknowledged stays unpublished: read it again from the store.
        handled.withLock { handled in
            for (partition, reached) in reaching { handled[partition] = sent.failed ? nil : reached }
        }
        return published + sent.sent
    }

    /// The next records of `partition` from this process's memory of its store, if they
    /// follow exactly the rows the relay knows handled in this tenure; nil when in doubt
    /// (not known, a gap: the store is read).
    private func fromMemory(_ partition: Int32, tenure: Int) -> [OutboxRecord]? {
        guard let memories, let known = handled.withLock({ $0[partition] }), known.tenure == tenure else { return nil }
        return memories[Int(partition)].take(from: known.next, limit: maxBatch)
    }

    /// Partitions not held now: what was known of them is void, their records go out from
    /// their owner's store.
    private func forgetUnheld(_ held: [Int32], _ memories: [OutboxMemory]) {
        let held = Set(held)
        for (partition, memory) in zip(Int32(0)..., memories) where !held.contains(partition) && !memory.isEmpty { memory.clear() }
        handled.withLock { handled in handled = handled.filter { held.contains($0.key) } }
    }

    /// Sends the batches in one round trip and marks what the broker acknowledged.
    private func send(_ batches: [(partition: Int32, records: [OutboxRecord])]) async throws -> (sent: Int, failed: Bool) {
        let messages = batches.flatMap { partition, records in
            records.map { record in
                OutgoingMessage(
                    topic: record.topic, partition: record.partition ?? partition, key: record.key, value: record.value,
                    headers: record.headers.map { KafkaHeader(name: $0.0, string: $0.1) } + [KafkaHeader(name: Outbox.rowHeader, string: Outbox.rowHeaderValue(record))])
            }
        }
        var results = await currentProducer.send(messages)[...]
        var published = 0
        var failed = false
        var perTopic: [String: Int] = [:]
        for (partition, records) in batches {
            var acknowledged: [Int64] = []
            var reached: [String: DeliveredPosition] = [:]
            var firstChangelogOffset: Int64?
            for (record, result) in zip(records, results.prefix(records.count)) {
                switch result {
                case .success(let report):
                    acknowledged.append(record.seq)
                    if report.topic == changelogTopic { firstChangelogOffset = min(firstChangelogOffset ?? .max, report.offset) }
                    let next = max(reached[report.topic]?.nextOffset ?? 0, report.offset + 1)
                    reached[report.topic] = DeliveredPosition(topic: report.topic, partition: report.partition, nextOffset: next)
                    perTopic[record.topic, default: 0] += 1
                case .failure(let error):
                    failed = true
                    logger.error("outbox record \(record.seq) of partition \(partition) to \(record.topic) not delivered: \(error)")
                }
            }
            results = results.dropFirst(records.count)
            let changelogRows = Set(records.filter { ChangelogCapture.isChangelogRow(eventID: $0.eventID) }.map(\.seq))
            let gap = try blocking { try stores[partition].write { [acknowledged, reached, firstChangelogOffset, changelogTopic] db -> (from: Int64, to: Int64)? in
                var positions = Array(reached.values)
                // Records of another writer between this copy's position and its own new
                // ones (two owners at once): the copy lacks them, so its position stays,
                // and its next restore applies them.
                var gap: (from: Int64, to: Int64)?
                if let changelogTopic, let first = firstChangelogOffset,
                   let position = try Outbox.reached(topic: changelogTopic, partition: partition, in: db), first > position {
                    positions.removeAll { $0.topic == changelogTopic }
                    gap = (position, first)
                }
                if changelogRows.isEmpty {
                    try Outbox.markPublished(acknowledged, reaching: positions, in: db)
                } else {
                    try Outbox.deletePublished(acknowledged.filter(changelogRows.contains), in: db)
                    try Outbox.markPublished(acknowledged.filter { !changelogRows.contains($0) }, reaching: positions, in: db)
                }
                return gap
            } }
            if let gap, gapsLogged.withLock({ $0.insert(partition).inserted }) {
                logger.error("partition \(partition): changelog records \(gap.from)..<\(gap.to) were written by another owner while this replica owned the store; its position stays at \(gap.from), so that its next restore applies them")
            }
            published += acknowledged.count
        }
        for (topic, count) in perTopic { metrics.produced(topic: topic, count: count) }
        if failed {
            try await replaceProducerIfFatal()
            try await Task.sleep(for: .milliseconds(500))
        }
        return (published, failed)
    }
}

/// Which partition stores were written since the relay last looked, told by their WAL
/// files' size and modification time: a write by any process appends to the WAL. Idle, the
/// relay's read of every store every 100 ms cost about a sixth of a service's CPU (four
/// idle services: 579 → 477 CPU ticks per 30 s without it); now it is a `stat` per store.
/// Every store counts as written at least once a second all the same, so that nothing
/// waits longer than that should a change not show in the file (a WAL reset to the same
/// size within one clock tick).
final class StoreWrites: @unchecked Sendable {
    /// Size, seconds and nanoseconds of each store's WAL when last looked at; nil without one.
    private var seen: [Int32: [Int]?] = [:]
    private var everyStoreAt = ContinuousClock.now

    func changed(_ partitions: [Int32], path: (Int32) -> String) -> Set<Int32> {
        let all = ContinuousClock.now - everyStoreAt > .seconds(1)
        if all { everyStoreAt = .now }
        var changed: Set<Int32> = []
        for partition in partitions {
            var info = stat()
            let mark = stat(path(partition) + "-wal", &info) == 0 ? [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec] : nil
            if all || mark == nil || seen[partition] != .some(mark) { changed.insert(partition) }
            seen[partition] = mark
        }
        return changed
    }
}

/// Runs a store access on this task's thread: in a synchronous closure the compiler picks
/// GRDB's blocking overloads, which run on the caller's thread when the store is free.
private func blocking<T>(_ body: () throws -> T) rethrows -> T { try body() }

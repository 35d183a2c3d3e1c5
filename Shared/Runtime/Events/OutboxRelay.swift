import Foundation
public import HomewardStore
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization
import Synchronization

/// Outbox → Kafka: publishes unpublished outbox rows in commit order and marks them
/// published only on the broker's acknowledgement. After a crash it starts again from the
/// first unpublished row: at worst a record is published twice, which consumers' inboxes
/// absorb. Among replicas sharing the store, only the holder of the "outbox" lease
/// publishes, so per-case order holds.
public final class OutboxRelay: Service {
    private let store: Store
    private let makeProducer: @Sendable () throws -> KafkaProducer
    /// Replaced when it enters a fatal state; touched only by ``run()``.
    private let producer: Mutex<KafkaProducer>
    private let holder: String
    private let maxBatch: Int
    private let retention: Duration
    private let signal: RelaySignal
    private let metrics: RuntimeMetrics
    private let logger: Logger
    private let leaseDuration: TimeInterval = 10
    private let drainTimeout: Duration

    public init(store: Store, makeProducer: @escaping @Sendable () throws -> KafkaProducer, holder: String, maxBatch: Int,
                retention: Duration = .seconds(7 * 24 * 3600), signal: RelaySignal, metrics: RuntimeMetrics,
                drainTimeout: Duration, logger: Logger) throws {
        self.retention = retention
        self.store = store
        self.makeProducer = makeProducer
        self.producer = Mutex(try makeProducer())
        self.holder = holder
        self.maxBatch = maxBatch
        self.signal = signal
        self.metrics = metrics
        self.drainTimeout = drainTimeout
        self.logger = logger
    }

    public func run() async throws {
        var leaseRenewedAt = ContinuousClock.now - .seconds(3600)
        var backlogMeasuredAt = leaseRenewedAt
        var prunedAt = leaseRenewedAt
        var holding = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if ContinuousClock.now - backlogMeasuredAt > .seconds(2) {
                    metrics.outboxBacklog.record(try await store.read { db in try Outbox.backlog(in: db) })
                    backlogMeasuredAt = .now
                }
                if ContinuousClock.now - leaseRenewedAt > .seconds(leaseDuration / 3) {
                    let (store, holder, leaseDuration) = (self.store, self.holder, self.leaseDuration)
                    let acquired = try await store.write { db in try Lease.acquire("outbox", holder: holder, for: leaseDuration, in: db) }
                    if acquired != holding { logger.info(acquired ? "outbox lease taken: publishing" : "outbox lease held by another replica") }
                    holding = acquired
                    leaseRenewedAt = .now
                }
                guard holding else {
                    await signal.wait(timeout: .seconds(1))
                    continue
                }
                if ContinuousClock.now - prunedAt > .seconds(3600) {
                    let age = TimeInterval(retention.components.seconds)
                    let pruned = try await store.write { db in try Outbox.prunePublished(olderThan: age, in: db) }
                    if pruned > 0 { logger.info("outbox: deleted \(pruned) rows published more than \(retention) ago") }
                    prunedAt = .now
                }
                if try await publishBatch() == 0 { await signal.wait(timeout: .milliseconds(100)) }
            } catch {
                logger.error("outbox relay: \(error)")
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        if holding { await drain() }
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

    /// Publishes what the service committed before it stopped taking work.
    private func drain() async {
        let deadline = ContinuousClock.now.advanced(by: drainTimeout)
        while ContinuousClock.now < deadline {
            guard let published = try? await publishBatch(), published > 0 else { break }
        }
        let (store, holder) = (self.store, self.holder)
        try? await store.write { db in try Lease.release("outbox", holder: holder, in: db) }
    }

    /// Publishes one batch; returns how many rows it marked published.
    func publishBatch() async throws -> Int {
        let maxBatch = self.maxBatch
        let records = try await store.read { db in try Outbox.unpublished(limit: maxBatch, in: db) }
        guard !records.isEmpty else { return 0 }
        let messages = records.map { record in
            OutgoingMessage(
                topic: record.topic, partition: record.partition, key: record.key, value: record.value,
                headers: record.headers.map { KafkaHeader(name: $0.0, string: $0.1) })
        }
        let results = await currentProducer.send(messages)
        var published: [Int64] = []
        var perTopic: [String: Int] = [:]
        for (record, result) in zip(records, results) {
            switch result {
            case .success:
                published.append(record.seq)
                perTopic[record.topic, default: 0] += 1
            case .failure(let error):
                logger.error("outbox record \(record.seq) to \(record.topic) not delivered: \(error)")
            }
        }
        try await store.write { [published] db in try Outbox.markPublished(published, in: db) }
        for (topic, count) in perTopic { metrics.produced(topic: topic, count: count) }
        if published.count < records.count {
            try await replaceProducerIfFatal()
            try await Task.sleep(for: .milliseconds(500))
        }
        return published.count
    }
}

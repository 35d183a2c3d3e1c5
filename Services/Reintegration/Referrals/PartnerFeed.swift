import Foundation
import HomewardModel
import HomewardRuntime
import Kafka
import Logging
import ReintegrationAPI
import ServiceLifecycle
import Synchronization

/// Keeps this replica's ``PartnerBook`` current and writes supervisors' changes: follows
/// the compacted partners topic (one partition, keyed by partner id) from its start on a
/// thread of its own, for as long as the service runs, and publishes a change there,
/// answering once this replica has read it back, so that the change and the next referral
/// here agree. Every other replica reads it within moments.
final class PartnerFeed: Service, Sendable {
    let book: PartnerBook
    private let topic: String
    private let kafka: KafkaConfig
    /// Created at start-up when the service creates its topics.
    private let spec: TopicSpec?
    /// While it runs (not before: a service built only for its routes connects nowhere).
    private let producer = Mutex<KafkaProducer?>(nil)
    private let logger: Logger

    init(book: PartnerBook, config: ServiceConfiguration, logger: Logger) {
        self.book = book
        topic = ServiceName.reintegration.partnersTopic!
        kafka = config.kafka
        spec = config.createTopics
            ? TopicSpec(name: topic, partitions: 1, replicationFactor: config.topicReplication, configs: ["cleanup.policy": "compact"]) : nil
        self.logger = logger
    }

    func run() async throws {
        let producer = try KafkaProducer(config: kafka, logger: logger)
        self.producer.withLock { $0 = producer }
        if let spec {
            do {
                _ = try await KafkaAdmin.ensureTopics([spec], config: kafka, logger: logger)
            } catch {
                logger.warning("partners topic \(topic) not created: \(error)")
            }
        }
        let stop = Atomic<Bool>(false)
        let (topic, kafka, book, logger) = (topic, kafka, book, logger)
        let follower = Task {
            await BlockingThread.run(name: "partners-follower") {
                TopicFollower.follow(topic, config: kafka, logger: logger, stop: { stop.load(ordering: .acquiring) }) { _, record in
                    if !book.apply(record.value, offset: record.offset) { logger.warning("partners topic: record at offset \(record.offset) skipped, not a partner") }
                }
            }
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
        stop.store(true, ordering: .releasing)
        await follower.value
        self.producer.withLock { $0 = nil }
        _ = await producer.close(timeout: .seconds(2))
    }

    /// Writes the partner as saved; true once this replica has read it back (within 5 s),
    /// false when it is not running.
    func publish(_ partner: PartnerView) async throws -> Bool {
        guard let producer = producer.withLock({ $0 }) else { return false }
        let report = try await producer.send(OutgoingMessage(topic: topic, partition: 0, key: partner.partnerID, value: try PartnerBook.record(partner)))
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while !book.hasRead(through: report.offset), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return book.hasRead(through: report.offset)
    }
}

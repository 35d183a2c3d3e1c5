import Foundation
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Keeps a replica's entry on its service's owners topic and its ``OwnerDirectory``
/// current: announces what it owns at once when that changes and every second besides
/// (the heartbeat that keeps it live in others' directories), follows every replica's
/// announcements on a thread of its own, and withdraws its entry when it stops. It stops
/// before ``PartitionOwnership`` lets go of the stores, so nobody is sent to a replica
/// that no longer answers.
public final class OwnerAnnouncer: Service, Sendable {
    private let routing: PartitionRouting
    private let directory: OwnerDirectory
    private let topic: String
    private let kafka: KafkaConfig
    private let producer: KafkaProducer
    private let logger: Logger
    private let interval: Duration

    public init(routing: PartitionRouting, directory: OwnerDirectory, topic: String, kafka: KafkaConfig, interval: Duration = .seconds(1),
                logger: Logger) throws {
        self.routing = routing
        self.directory = directory
        self.topic = topic
        self.kafka = kafka
        self.interval = interval
        self.logger = logger
        producer = try KafkaProducer(config: kafka, logger: logger)
    }

    public func run() async throws {
        let stop = Atomic<Bool>(false)
        let (topic, kafka, directory, logger) = (topic, kafka, directory, logger)
        let follower = Task {
            await BlockingThread.run(name: "owners-follower") {
                Self.follow(topic: topic, kafka: kafka, directory: directory, logger: logger) { stop.load(ordering: .acquiring) }
            }
        }
        var said: OwnerAnnouncement?
        var saidAt = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = routing.announcement
            if now != said || saidAt.duration(to: .now) >= interval {
                if await send(now) {
                    if now.partitions != said?.partitions { logger.info("announced partitions \(now.partitions.map(String.init).joined(separator: ",")) at \(now.address)") }
                    said = now
                    saidAt = .now
                }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        if await send(nil) { logger.info("withdrew this replica from the owners of \(topic)") }
        stop.store(true, ordering: .releasing)
        await follower.value
        _ = await producer.close(timeout: .seconds(2))
    }

    /// Sends the announcement, or the tombstone that withdraws it.
    private func send(_ announcement: OwnerAnnouncement?) async -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let value = announcement.flatMap { try? encoder.encode($0) } ?? Data()
        do {
            _ = try await producer.send(OutgoingMessage(topic: topic, partition: 0, key: routing.replica, value: value))
            return true
        } catch {
            logger.warning("owners topic \(topic) not written: \(error)")
            return false
        }
    }

    /// Reads the owners topic from its start into `directory` until `stop` says so; a
    /// broker that cannot be reached is tried again every few seconds.
    static func follow(topic: String, kafka: KafkaConfig, directory: OwnerDirectory, logger: Logger, stop: () -> Bool) {
        TopicFollower.follow(topic, config: kafka, logger: logger, stop: stop) { key, record in
            directory.apply(replica: String(decoding: key, as: UTF8.self), value: record.value, offset: record.offset)
        }
    }
}

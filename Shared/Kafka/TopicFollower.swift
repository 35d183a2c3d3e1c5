internal import CRdKafka
public import Foundation
public import Logging

/// Follows every partition of a small topic from its start, outside any consumer group,
/// for as long as it lives: a service's view of a compacted directory (who owns which
/// partition), where every reader needs every record. Thread-confined: one thread polls it.
public final class TopicFollower: @unchecked Sendable {
    private let context: ConsumerContext
    private let handle: OpaquePointer

    public init(topic: String, config: KafkaConfig, timeout: Duration = .seconds(10), logger: Logger) throws(KafkaError) {
        context = ConsumerContext(logger: logger, listener: RebalanceListener())
        let handle = try context.makeHandle(RD_KAFKA_CONSUMER, config: config.with(overrides: [
            "group.id": "homeward-follower-\(UUID().uuidString)",
            "enable.auto.commit": "false",
            "enable.partition.eof": "false",
            "fetch.wait.max.ms": String(max(Self.fetchWaitFloorMs, Int(config["fetch.wait.max.ms"] ?? "") ?? 500)),
        ]))
        context.handle = handle
        self.handle = handle
        do throws(KafkaError) {
            let counts = try KafkaAdmin.topicPartitionCounts(handle, timeout: timeout, bootstrap: config.bootstrapServers)
            guard let partitions = counts[topic] else { throw KafkaError(code: RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue, message: "no topic \(topic)") }
            let list = rd_kafka_topic_partition_list_new(Int32(partitions))!
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for p in 0..<Int32(partitions) { rd_kafka_topic_partition_list_add(list, topic, p).pointee.offset = Int64(RD_KAFKA_OFFSET_BEGINNING) }
            let err = rd_kafka_assign(handle, list)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "assign \(topic)") }
        } catch {
            rd_kafka_destroy(handle)
            throw error
        }
    }

    /// The shortest wait of a follower's empty fetch. A directory changes seldom and may
    /// lag a moment, so a follower does not inherit the few milliseconds that the local
    /// stack gives consumers for fast hops on the embedded broker (which answers an empty
    /// fetch only when the wait ends): idle, reintegration's partner directory alone cost it a
    /// quarter of its CPU. A real broker answers a fetch as soon as a record arrives anyway.
    static let fetchWaitFloorMs = 100

    /// The next record, or nil when none came within `timeoutMs`.
    public func poll(timeoutMs: Int32) -> ConsumedMessage? { context.pollMessage(timeoutMs: timeoutMs) }

    deinit {
        rd_kafka_destroy(handle)
    }

    /// Reads every partition of `topic` from its start, handing each keyed record to
    /// `apply`, until `stop` says so; a broker that cannot be reached is tried again every
    /// two seconds. Blocks: run it on a thread of its own.
    public static func follow(_ topic: String, config: KafkaConfig, logger: Logger, stop: () -> Bool, apply: (_ key: Data, ConsumedMessage) -> Void) {
        while !stop() {
            let follower: TopicFollower
            do {
                follower = try TopicFollower(topic: topic, config: config, logger: logger)
            } catch {
                logger.warning("topic \(topic) not readable: \(error)")
                for _ in 0..<20 where !stop() { usleep(100_000) }
                continue
            }
            while !stop() {
                guard let record = follower.poll(timeoutMs: 100), let key = record.key else { continue }
                apply(key, record)
            }
        }
    }
}

internal import CRdKafka
import Foundation
public import Logging

/// Reads a topic (or one partition of it) up to its current end, outside any consumer
/// group. For operators' tools (dead letters, audits), tests, and a new owner of a
/// partition store checking what its predecessor published: not a streaming consumer.
public enum TopicReader {
    public static func readAll(topic: String, config: KafkaConfig, timeout: Duration = .seconds(30), logger: Logger) async throws(KafkaError) -> [ConsumedMessage] {
        let result: Result<[ConsumedMessage], KafkaError> = await BlockingThread.run(name: "kafka-topic-reader") {
            Result { () throws(KafkaError) -> [ConsumedMessage] in
                try read(topic: topic, config: config, timeout: timeout, logger: logger)
            }
        }
        return try result.get()
    }

    /// Reads one partition of a topic from `offset` up to its current end.
    public static func read(topic: String, partition: Int32, from offset: Int64, config: KafkaConfig, timeout: Duration = .seconds(30),
                            logger: Logger) async throws(KafkaError) -> [ConsumedMessage] {
        let result: Result<[ConsumedMessage], KafkaError> = await BlockingThread.run(name: "kafka-topic-reader") {
            Result { () throws(KafkaError) -> [ConsumedMessage] in
                try read(topic: topic, only: (partition, offset), config: config, timeout: timeout, logger: logger)
            }
        }
        return try result.get()
    }

    /// The first and next offsets of one partition (blocking: call it off the cooperative pool).
    public static func watermarks(topic: String, partition: Int32, config: KafkaConfig, timeout: Duration = .seconds(10),
                                  logger: Logger) throws(KafkaError) -> (low: Int64, high: Int64) {
        try KafkaAdmin.withHandle(config: config, logger: logger) { handle throws(KafkaError) in
            var low: Int64 = 0
            var high: Int64 = 0
            let err = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, Int32(timeout.components.seconds * 1000))
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "watermarks of \(topic)[\(partition)]") }
            return (low, high)
        }
    }

    /// Reads one partition from `offset` up to (not including) `end`, handing the records
    /// to `body` in batches of up to `batch`, so that a long partition is never held in
    /// memory whole (blocking: call it off the cooperative pool). Stops early if `stop` says so.
    public static func scan(topic: String, partition: Int32, from offset: Int64, to end: Int64, batch: Int = 1000,
                            config: KafkaConfig, stallTimeout: Duration = .seconds(30), logger: Logger,
                            stop: () -> Bool = { false }, _ body: ([ConsumedMessage]) throws -> Void) throws {
        guard end > offset else { return }
        let context = ConsumerContext(logger: logger, listener: RebalanceListener())
        let handle = try context.makeHandle(RD_KAFKA_CONSUMER, config: config.with(overrides: [
            "group.id": "homeward-reader-\(UUID().uuidString)",
            "enable.auto.commit": "false",
            "enable.partition.eof": "false",
        ]))
        context.handle = handle
        defer {
            rd_kafka_destroy(handle)
            withExtendedLifetime(context) {}
        }
        let list = rd_kafka_topic_partition_list_new(1)!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        rd_kafka_topic_partition_list_add(list, topic, partition).pointee.offset = offset
        let err = rd_kafka_assign(handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "assign \(topic)[\(partition)]") }
        var pending: [ConsumedMessage] = []
        var next = offset
        var lastProgress = ContinuousClock.now
        while next < end {
            if stop() { return }
            guard let message = context.pollMessage(timeoutMs: 200) else {
                guard ContinuousClock.now - lastProgress < stallTimeout else {
                    throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, message: "reading \(topic)[\(partition)] stalled at offset \(next)")
                }
                continue
            }
            lastProgress = .now
            next = message.offset + 1
            pending.append(message)
            if pending.count >= batch || next >= end {
                try body(pending)
                pending = []
            }
        }
    }

    /// Every partition from its start, or `only` one from an offset.
    private static func read(topic: String, only: (partition: Int32, from: Int64)? = nil, config: KafkaConfig, timeout: Duration,
                             logger: Logger) throws(KafkaError) -> [ConsumedMessage] {
        let context = ConsumerContext(logger: logger, listener: RebalanceListener())
        let config = config.with(overrides: [
            "group.id": "homeward-reader-\(UUID().uuidString)",
            "enable.auto.commit": "false",
            "enable.partition.eof": "false",
        ])
        let handle = try context.makeHandle(RD_KAFKA_CONSUMER, config: config)
        context.handle = handle
        defer {
            rd_kafka_destroy(handle)
            withExtendedLifetime(context) {}
        }
        let ms = Int32(timeout.components.seconds * 1000)
        let counts = try KafkaAdmin.topicPartitionCounts(handle, timeout: timeout, bootstrap: config.bootstrapServers)
        guard let partitions = counts[topic] else { throw KafkaError(code: RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue, message: "no topic \(topic)") }

        var end: [Int32: Int64] = [:]
        let list = rd_kafka_topic_partition_list_new(Int32(partitions))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for p in 0..<Int32(partitions) where only.map({ $0.partition == p }) ?? true {
            var low: Int64 = 0
            var high: Int64 = 0
            let err = rd_kafka_query_watermark_offsets(handle, topic, p, &low, &high, ms)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "watermarks of \(topic)[\(p)]") }
            let start = max(low, only?.from ?? low)
            if high > start {
                end[p] = high
                rd_kafka_topic_partition_list_add(list, topic, p).pointee.offset = start
            }
        }
        guard !end.isEmpty else { return [] }
        let err = rd_kafka_assign(handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "assign \(topic)") }

        var messages: [ConsumedMessage] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var remaining = end
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, message: "reading \(topic) timed out")
            }
            guard let message = context.pollMessage(timeoutMs: 200) else { continue }
            if let last = remaining[message.partition], message.offset + 1 >= last { remaining[message.partition] = nil }
            messages.append(message)
        }
        return messages.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}

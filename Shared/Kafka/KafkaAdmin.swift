internal import CRdKafka
import Foundation
public import Logging

/// Topic administration and reachability checks.
public enum KafkaAdmin {
    /// Creates the topics in `specs` that the cluster does not have yet.
    /// Throws a clear error when no broker answers within `timeout`.
    /// Returns the names of the topics it created.
    @discardableResult
    public static func ensureTopics(_ specs: [TopicSpec], config: KafkaConfig, timeout: Duration = .seconds(15), logger: Logger) async throws(KafkaError) -> [String] {
        let result: Result<[String], KafkaError> = await BlockingThread.run(name: "kafka-admin") {
            Result { () throws(KafkaError) -> [String] in
                try withHandle(config: config, logger: logger) { handle throws(KafkaError) in
                    let existing = try topicPartitionCounts(handle, timeout: timeout, bootstrap: config.bootstrapServers)
                    let missing = specs.filter { existing[$0.name] == nil }
                    for spec in specs where existing[spec.name].map({ $0 < spec.partitions }) == true {
                        logger.warning("Kafka topic \(spec.name) has \(existing[spec.name]!) partitions, fewer than the \(spec.partitions) configured")
                    }
                    guard !missing.isEmpty else { return [] }
                    try createTopics(handle, missing, timeout: timeout)
                    return missing.map(\.name)
                }
            }
        }
        return try result.get()
    }

    /// Partition counts of the cluster's topics; throws when no broker answers in time.
    public static func topics(config: KafkaConfig, timeout: Duration = .seconds(5), logger: Logger) async throws(KafkaError) -> [String: Int] {
        let result: Result<[String: Int], KafkaError> = await BlockingThread.run(name: "kafka-admin") {
            Result { () throws(KafkaError) -> [String: Int] in
                try withHandle(config: config, logger: logger) { handle throws(KafkaError) in
                    try topicPartitionCounts(handle, timeout: timeout, bootstrap: config.bootstrapServers)
                }
            }
        }
        return try result.get()
    }

    static func withHandle<T>(config: KafkaConfig, logger: Logger, _ body: (OpaquePointer) throws(KafkaError) -> T) throws(KafkaError) -> T {
        let context = RdKafkaContext(logger: logger)
        let handle = try context.makeHandle(RD_KAFKA_PRODUCER, config: config)
        defer {
            rd_kafka_destroy(handle)
            withExtendedLifetime(context) {}
        }
        return try body(handle)
    }

    static func topicPartitionCounts(_ handle: OpaquePointer, timeout: Duration, bootstrap: String) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 1, nil, &metadata, Int32(timeout.components.seconds * 1000))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(code: err.rawValue, message: "cannot reach Kafka at \(bootstrap) within \(timeout): \(String(cString: rd_kafka_err2str(err)))")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        var counts: [String: Int] = [:]
        for i in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[i]
            if topic.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                counts[String(cString: topic.topic)] = Int(topic.partition_cnt)
            }
        }
        return counts
    }

    private static func createTopics(_ handle: OpaquePointer, _ specs: [TopicSpec], timeout: Duration) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for spec in specs {
            guard let topic = rd_kafka_NewTopic_new(spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), &errstr, errstr.count) else {
                throw .configuration("topic \(spec.name): \(cString(errstr))")
            }
            newTopics.append(topic)
            for (name, value) in spec.configs.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(topic, name, value)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "topic \(spec.name): \(name)") }
            }
        }
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, nil, queue)
        guard let event = rd_kafka_queue_poll(queue, Int32(timeout.components.seconds * 1000)) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, message: "creating topics timed out")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventErr = rd_kafka_event_error(event)
        if eventErr != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(eventErr, context: "create topics")
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return }
        var count = 0
        guard let topics = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for i in 0..<count {
            let err = rd_kafka_topic_result_error(topics[i])
            if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                throw KafkaError(err, context: "create topic \(String(cString: rd_kafka_topic_result_name(topics[i])))")
            }
        }
    }
}

extension KafkaAdmin {
    /// Messages currently held by each partition of `topic` (high minus low watermark).
    public static func messageCounts(topic: String, config: KafkaConfig, timeout: Duration = .seconds(5), logger: Logger) async throws(KafkaError) -> [Int32: Int64] {
        let result: Result<[Int32: Int64], KafkaError> = await BlockingThread.run(name: "kafka-admin") {
            Result { () throws(KafkaError) -> [Int32: Int64] in
                try withHandle(config: config, logger: logger) { handle throws(KafkaError) in
                    let counts = try topicPartitionCounts(handle, timeout: timeout, bootstrap: config.bootstrapServers)
                    guard let partitions = counts[topic] else {
                        throw KafkaError(code: RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue, message: "no topic \(topic)")
                    }
                    var result: [Int32: Int64] = [:]
                    for p in 0..<Int32(partitions) {
                        var low: Int64 = 0
                        var high: Int64 = 0
                        let err = rd_kafka_query_watermark_offsets(handle, topic, p, &low, &high, Int32(timeout.components.seconds * 1000))
                        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "watermarks of \(topic)[\(p)]") }
                        result[p] = high - low
                    }
                    return result
                }
            }
        }
        return try result.get()
    }
}

internal import CRdKafka
public import Logging

extension KafkaAdmin {
    /// The lag of `group` on every partition of `topics`: committed offsets (OffsetFetch
    /// through a handle in that group that never joins it) against the watermarks.
    public static func lag(group: String, topics: [String], config: KafkaConfig, timeout: Duration = .seconds(10),
                           logger: Logger) async throws(KafkaError) -> [PartitionLag] {
        let result: Result<[PartitionLag], KafkaError> = await BlockingThread.run(name: "kafka-admin") {
            Result { () throws(KafkaError) -> [PartitionLag] in
                var groupConfig = config
                groupConfig["group.id"] = group
                groupConfig["enable.auto.commit"] = "false"
                let context = RdKafkaContext(logger: logger)
                let handle = try context.makeHandle(RD_KAFKA_CONSUMER, config: groupConfig)
                defer {
                    rd_kafka_destroy(handle)
                    withExtendedLifetime(context) {}
                }
                let milliseconds = Int32(timeout.components.seconds * 1000)
                let counts = try topicPartitionCounts(handle, timeout: timeout, bootstrap: config.bootstrapServers)
                let partitions = topics.flatMap { topic in (0..<Int32(counts[topic] ?? 0)).map { TopicPartition(topic: topic, partition: $0) } }
                guard !partitions.isEmpty else { return [] }

                let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
                defer { rd_kafka_topic_partition_list_destroy(list) }
                for partition in partitions { rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition) }
                let err = rd_kafka_committed(handle, list, milliseconds)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "committed offsets of \(group)") }

                var lags: [PartitionLag] = []
                for i in 0..<Int(list.pointee.cnt) {
                    let element = list.pointee.elems[i]
                    let partition = TopicPartition(topic: String(cString: element.topic), partition: element.partition)
                    var low: Int64 = 0
                    var high: Int64 = 0
                    let watermarks = rd_kafka_query_watermark_offsets(handle, partition.topic, partition.partition, &low, &high, milliseconds)
                    guard watermarks == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(watermarks, context: "watermarks of \(partition)") }
                    lags.append(PartitionLag(group: group, partition: partition, committed: element.offset >= 0 ? element.offset : nil,
                                             start: low, end: high))
                }
                return lags
            }
        }
        return try result.get()
    }
}

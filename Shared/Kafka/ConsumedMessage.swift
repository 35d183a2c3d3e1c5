public import Foundation

/// A record read from Kafka, copied out of librdkafka so no C message outlives the poll.
public struct ConsumedMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: Data?
    public var value: Data
    public var headers: [KafkaHeader]
    /// Milliseconds since the epoch, as the producer or broker stamped it.
    public var timestampMs: Int64?

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
    public var keyString: String? { key.flatMap { String(data: $0, encoding: .utf8) } }

    public init(topic: String, partition: Int32, offset: Int64, key: Data?, value: Data, headers: [KafkaHeader], timestampMs: Int64?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }
}

public import Foundation

/// A record to produce. Without a partition, librdkafka's partitioner picks one from the
/// key (murmur2_random, as the Java client does, so keys land alike from every client).
/// An empty value is produced as null (a tombstone).
public struct OutgoingMessage: Sendable {
    public var topic: String
    public var partition: Int32?
    public var key: String?
    public var value: Data
    public var headers: [KafkaHeader]

    public init(topic: String, partition: Int32? = nil, key: String?, value: Data, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// Where the broker acknowledged a record.
public struct DeliveryReport: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}

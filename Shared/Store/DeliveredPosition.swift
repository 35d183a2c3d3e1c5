/// How far a store's outbox reached on one topic partition: the offset after the last
/// record the broker acknowledged.
public struct DeliveredPosition: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var nextOffset: Int64

    public init(topic: String, partition: Int32, nextOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.nextOffset = nextOffset
    }
}

/// How far a consumer group is behind on one partition.
public struct PartitionLag: Sendable, Equatable {
    public var group: String
    public var partition: TopicPartition
    /// The group's committed offset, or nil when it has committed nothing there.
    public var committed: Int64?
    /// The partition's first and next offsets (low and high watermarks).
    public var start: Int64
    public var end: Int64

    /// Messages the group has not consumed; from the start when it never committed,
    /// since the consumers read from the earliest offset.
    public var lag: Int64 { max(0, end - max(committed ?? start, start)) }
}

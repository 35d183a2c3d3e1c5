/// What a consumer's owner hears about its assignment, on the consumer thread inside
/// `poll`: `assigned` before records of those partitions are handed out, `revoked` after
/// the last batch of them was applied and its offsets committed, before they are released.
public struct RebalanceListener: Sendable {
    public var assigned: @Sendable ([TopicPartition]) -> Void
    public var revoked: @Sendable ([TopicPartition]) -> Void

    public init(assigned: @escaping @Sendable ([TopicPartition]) -> Void = { _ in },
                revoked: @escaping @Sendable ([TopicPartition]) -> Void = { _ in }) {
        self.assigned = assigned
        self.revoked = revoked
    }
}

/// The Kafka headers of a dead letter (its provenance) and of a replayed one; the
/// dead-letter topics' contract, written by consumers and read by operators' tools.
public enum DeadLetterHeader {
    public static let originalTopic = "x-dlq-original-topic"
    public static let originalPartition = "x-dlq-original-partition"
    public static let originalOffset = "x-dlq-original-offset"
    public static let consumerGroup = "x-dlq-consumer-group"
    public static let error = "x-dlq-error"
    public static let failedAt = "x-dlq-failed-at"
    /// Set by `homeward dlq replay` on a dead letter sent back to its topic: its group
    /// applies it once even though its inbox recorded it as dead-lettered.
    public static let replay = "x-homeward-replay"

    /// Whether a header is one of these (stripped when a letter is replayed or re-lettered).
    public static func isDeadLetterHeader(_ name: String) -> Bool {
        name.hasPrefix("x-dlq-") || name == replay
    }
}

public import Kafka

/// What Kafka keeps of a service's topics: the topic-level settings the service gives the
/// topics it creates. Compose's `kafka-init` sets the same (deploy/README.md, "Retention").
public enum TopicRetention {
    /// Segments roll daily. Kafka deletes whole segments, once their newest record is past
    /// `retention.ms`, so a record outlives its retention by a day at most.
    public static let segment: Duration = .seconds(86_400)

    /// The topics to create, each with its settings: changelogs and owners compacted (each
    /// key's latest value, kept until a tombstone replaces it), a changelog within its lag so
    /// that an erased row's older values leave the log; dead letters and events deleted after
    /// their retention. Topics in `single` have one partition.
    public static func specs(_ topics: [String], compacted: Set<String>, changelogs: Set<String>, deadLetters: Set<String>, single: Set<String>,
                             config: ServiceConfiguration) -> [TopicSpec] {
        topics.map { topic in
            let configs: [String: String]
            if changelogs.contains(topic) {
                let lag = milliseconds(config.changelogCompaction)
                configs = ["cleanup.policy": "compact", "max.compaction.lag.ms": lag, "segment.ms": lag]
            } else if compacted.contains(topic) {
                configs = ["cleanup.policy": "compact"]
            } else {
                let retention = deadLetters.contains(topic) ? config.deadLettersRetention : config.eventsRetention
                configs = ["cleanup.policy": "delete", "retention.ms": milliseconds(retention), "segment.ms": milliseconds(segment)]
            }
            return TopicSpec(name: topic, partitions: single.contains(topic) ? 1 : config.topicPartitions,
                             replicationFactor: config.topicReplication, configs: configs)
        }
    }

    static func milliseconds(_ duration: Duration) -> String { String(duration.components.seconds * 1000) }
}

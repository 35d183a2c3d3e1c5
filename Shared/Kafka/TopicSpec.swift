/// A topic to create: name, partitions, replication, and topic-level settings
/// (`cleanup.policy=compact` for a changelog).
public struct TopicSpec: Hashable, Sendable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    public var configs: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int = 1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

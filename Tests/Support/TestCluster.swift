public import Foundation
import HomewardModel
public import Kafka
import Logging
public import StageProbeKit

/// An embedded broker in the test process with every Homeward topic, at 4 partitions so
/// that small runs still spread over several partitions (or as many as a test asks).
public final class TestCluster: @unchecked Sendable {
    public let broker: EmbeddedBroker
    public let directory: URL
    public var bootstrap: String { broker.bootstrapServers }
    public var traffic: EventTraffic { EventTraffic(bootstrap: bootstrap) }

    public init(_ name: String, partitions: Int = 4) throws {
        var logger = Logger(label: "test-broker")
        logger.logLevel = .critical
        broker = try EmbeddedBroker(logger: logger)
        directory = try makeWorkDirectory(name)
        for (topic, count) in ServiceName.allTopics(partitions: partitions) { try broker.createTopic(TopicSpec(name: topic, partitions: count)) }
    }

    /// Faster failure detection than the production default, so killed members'
    /// partitions move on in seconds.
    public static let fastGroup = ["KAFKA_PROPERTIES": "session.timeout.ms=4000,heartbeat.interval.ms=500"]

    public func probe(_ role: ProbeStageRole, store: String? = nil) throws -> ProbeProcess {
        try ProbeProcess(role: role, bootstrap: bootstrap, directory: directory, storeName: store, extra: Self.fastGroup)
    }
}

public typealias ProbeStageRole = ProbeStage.Role


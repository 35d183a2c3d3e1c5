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

    public func probe(_ role: ProbeStageRole, store: String? = nil, extra: [String: String] = [:]) throws -> ProbeProcess {
        try ProbeProcess(role: role, bootstrap: bootstrap, directory: directory, storeName: store, extra: Self.fastGroup.merging(extra) { $1 })
    }

    /// A probe started and answering.
    public func readyProbe(_ role: ProbeStageRole, store: String? = nil, extra: [String: String] = [:]) async throws -> ProbeProcess {
        let probe = try self.probe(role, store: store, extra: extra)
        try await probe.waitUntilReady()
        return probe
    }

    /// Both probe stages, started together (not one after the other), both answering.
    public func readyProbeStages() async throws -> (first: ProbeProcess, second: ProbeProcess) {
        let first = try probe(.first)
        let second = try probe(.second)
        try await first.waitUntilReady()
        try await second.waitUntilReady()
        return (first, second)
    }

    /// A service executable on this broker, its store and log in this cluster's directory.
    public func service(_ executable: String, extra: [String: String] = [:]) throws -> ServiceProcess {
        try ServiceProcess(executable, bootstrap: bootstrap, directory: directory, extra: extra)
    }

    /// The same, started and answering.
    public func readyService(_ executable: String, extra: [String: String] = [:]) async throws -> ServiceProcess {
        let service = try self.service(executable, extra: extra)
        try await service.waitUntilReady()
        return service
    }

    /// The same, with a producer standing in for the services upstream of it: the test
    /// writes the events they would publish.
    public func fedService(_ executable: String, extra: [String: String] = [:]) async throws -> (ServiceProcess, KafkaProducer) {
        (try await readyService(executable, extra: extra), try traffic.makeProducer())
    }
}

public typealias ProbeStageRole = ProbeStage.Role


import Testing
import Foundation
import HomewardModel
import Kafka
import Logging

/// An embedded broker in the test process with every Homeward topic, at 4 partitions so
/// that small runs still spread over several partitions.
final class TestCluster: @unchecked Sendable {
    let broker: EmbeddedBroker
    let directory: URL
    var bootstrap: String { broker.bootstrapServers }
    var traffic: EventTraffic { EventTraffic(bootstrap: bootstrap) }

    init(_ name: String) throws {
        var logger = Logger(label: "test-broker")
        logger.logLevel = .critical
        broker = try EmbeddedBroker(logger: logger)
        directory = try makeWorkDirectory(name)
        for service in ServiceName.allCases {
            try broker.createTopic(TopicSpec(name: service.topic, partitions: 4))
            try broker.createTopic(TopicSpec(name: service.deadLetterTopic, partitions: 4))
        }
    }

    /// Faster failure detection than the production default, so killed members'
    /// partitions move on in seconds.
    static let fastGroup = ["KAFKA_PROPERTIES": "session.timeout.ms=4000,heartbeat.interval.ms=500"]

    func probe(_ role: ProbeStageRole, store: String? = nil) throws -> ProbeProcess {
        try ProbeProcess(role: role, bootstrap: bootstrap, directory: directory, storeName: store, extra: Self.fastGroup)
    }
}

import StageProbeKit
typealias ProbeStageRole = ProbeStage.Role

/// Parent of every suite that starts processes: they run one at a time, since each
/// loads both cores of the machine.
@Suite(.serialized) struct Processes {}

import Foundation
public import HomewardModel
public import Kafka
public import Logging
public import StageProbeKit

/// The test's own Kafka client: produces probe requests, reads topics back.
public struct EventTraffic {
    public let config: KafkaConfig
    public let logger: Logger

    public init(bootstrap: String) {
        config = KafkaConfig(bootstrapServers: bootstrap)
        var logger = Logger(label: "test-traffic")
        logger.logLevel = .critical
        self.logger = logger
    }

    /// `cases` cases with `perCase` requests each, in per-case order, interleaved across cases.
    public static func requests(cases: Int, perCase: Int, prefix: String = "case") -> [CloudEvent<ProbeRequested>] {
        (1...perCase).flatMap { seq in
            (0..<cases).map { c in CloudEvent(caseID: CaseID("\(prefix)-\(c)"), data: ProbeRequested(seq: seq)) }
        }
    }

    public static func message<P: EventPayload>(_ event: CloudEvent<P>) throws -> OutgoingMessage {
        OutgoingMessage(topic: P.producer.topic, key: event.subject.rawValue, value: try EventCoding.encoder().encode(event))
    }

    public func send<P: EventPayload>(_ events: [CloudEvent<P>], producer: KafkaProducer) async throws {
        let results = await producer.send(try events.map(Self.message))
        for result in results { _ = try result.get() }
    }

    public func makeProducer() throws -> KafkaProducer {
        try KafkaProducer(config: config, logger: logger)
    }

    public func readAll(_ topic: String) async throws -> [ConsumedMessage] {
        try await TopicReader.readAll(topic: topic, config: config, timeout: .seconds(60), logger: logger)
    }

    /// The events `service` has published so far, decoded with its catalogue; none while
    /// the topic cannot be read yet (for polling with ``eventually(timeout:every:_:)``).
    public func published(by service: ServiceName) async -> [ReceivedEvent] {
        let registry = EventRegistry(EventCatalogue.published(by: service))
        return ((try? await readAll(service.topic)) ?? []).compactMap { try? registry.decode($0.value, key: $0.keyString) }
    }

    /// Decoded `ProbeApplied` events on health-screening's topic.
    public func appliedEvents() async throws -> [ReceivedEvent] {
        let registry = EventRegistry([ProbeApplied.self])
        return try await readAll(ServiceName.healthScreening.topic).compactMap { try registry.decode($0.value, key: $0.keyString) }
    }
}

import CRdKafka
import Foundation
import HomewardModel
import Kafka
import Logging
import TestSupport
import Testing

@Suite("Kafka layer against the embedded broker")
struct KafkaLayerTests {
    var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func anUnreachableBrokerIsAClearError() async throws {
        let config = KafkaConfig(bootstrapServers: "127.0.0.1:\(freePort())")
        do {
            _ = try await KafkaAdmin.topics(config: config, timeout: .seconds(2), logger: quiet)
            Issue.record("no error")
        } catch {
            #expect(error.isUnreachable)
            #expect(error.description.contains("cannot reach Kafka at \(config.bootstrapServers)"))
        }
    }

    @Test func theProducerDeliversThroughInjectedRequestErrors() async throws {
        let broker = try EmbeddedBroker(logger: quiet)
        try broker.createTopic(TopicSpec(name: "t", partitions: 1))
        let config = KafkaConfig(bootstrapServers: broker.bootstrapServers)
        let producer = try KafkaProducer(config: config, logger: quiet)
        _ = try await producer.send(OutgoingMessage(topic: "t", key: "k", value: Data("warm-up".utf8)))
        broker.pushRequestErrors(apiKey: KafkaProtocol.produce, errors: [
            KafkaProtocol.notLeaderForPartition, KafkaProtocol.requestTimedOut, KafkaProtocol.notEnoughReplicas, KafkaProtocol.transport,
        ])
        let messages = (0..<50).map { OutgoingMessage(topic: "t", key: "k", value: Data("m\($0)".utf8), headers: [KafkaHeader(name: "n", string: "\($0)")]) }
        let results = await producer.send(messages)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        await producer.close()

        let read = try await TopicReader.readAll(topic: "t", config: config, logger: quiet)
        let values = read.map { String(decoding: $0.value, as: UTF8.self) }.filter { $0 != "warm-up" }
        #expect(values == (0..<50).map { "m\($0)" }, "each once, in order, despite the retries")
        #expect(read.last?.headers["n"] == "49")
        broker.shutdown()
    }

    @Test func aServiceThatCannotReachTheBrokerStopsWithOneClearLine() async throws {
        let directory = try makeWorkDirectory("unreachable")
        let child = try ChildProcess("intake", environment: TestAccess.environment.merging([
            "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:\(freePort())", "KAFKA_STARTUP_TIMEOUT_SECONDS": "2",
            "STORE_PATH": directory.appendingPathComponent("s.sqlite").path, "HTTP_PORT": "\(freePort())",
        ]) { $1 }, logDirectory: directory)
        #expect(await child.waitForExit(timeout: .seconds(30)) == 1)
        let last = child.log.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("intake: Kafka error"), "\(last)")
        #expect(last.contains("cannot reach Kafka at 127.0.0.1:"))
    }

    @Test func aBadVariableStopsAServiceNamingIt() async throws {
        let directory = try makeWorkDirectory("badconfig")
        let child = try ChildProcess("intake", environment: ["HTTP_PORT": "eighty"], logDirectory: directory)
        #expect(await child.waitForExit(timeout: .seconds(30)) == 1)
        #expect(child.log.contains("intake: cannot start: configuration HTTP_PORT: 'eighty' is not a whole number"))
    }

    /// A service's own settings are read as strictly as the runtime's: no silent default.
    @Test(arguments: [
        ("travel-booking", "TRAVEL_DEPARTURE_EARLY_MINUTES", "two hours", "is not a whole number in 0...525600"),
        ("health-screening", "HEALTH_LAPSE_SWEEP_SECONDS", "0", "is not a whole number in 1...86400"),
        ("reintegration", "REINTEGRATION_BUDGET_NEARLY_SPENT_PERCENT", "150", "is not a whole number in 1...100"),
        ("intake", "RETENTION_DAYS_AFTER_CLOSURE", "-1", "is not a number in 0...36500"),
    ])
    func aBadServiceSettingStopsItNamingIt(service: String, variable: String, value: String, complaint: String) async throws {
        let directory = try makeWorkDirectory("badsetting")
        let child = try ChildProcess(service, environment: [variable: value, "AUTH_DEV_KEY": TestAccess.environment["AUTH_DEV_KEY"] ?? ""], logDirectory: directory)
        #expect(await child.waitForExit(timeout: .seconds(30)) == 1)
        #expect(child.log.contains("\(service): cannot start: configuration \(variable): '\(value)' \(complaint)"), "\(child.log.suffix(1000))")
    }
}

/// Kafka protocol request types and error codes the fault tests make the embedded broker answer.
enum KafkaProtocol {
    static let produce: Int16 = 0

    static let notLeaderForPartition: Int32 = RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue
    static let requestTimedOut: Int32 = RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue
    static let notEnoughReplicas: Int32 = RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue
    /// librdkafka's local transport error: the mock broker drops the client's connection.
    static let transport: Int32 = RD_KAFKA_RESP_ERR__TRANSPORT.rawValue
}

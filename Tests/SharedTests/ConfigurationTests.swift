import Foundation
import HomewardModel
import HomewardRuntime
import TestSupport
import Testing

@Suite("Service configuration")
struct ConfigurationTests {
    /// With the tests' development key, unless `environment` says otherwise.
    func load(_ environment: [String: String]) async throws -> ServiceConfiguration {
        try await ServiceConfiguration.load(for: .healthScreening, environment: TestAccess.environment.merging(environment) { $1 })
    }

    func refusal(_ environment: [String: String]) async -> String? {
        do {
            _ = try await ServiceConfiguration.load(for: .healthScreening, environment: environment)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func tokensNeedAKeyAndProductionRefusesTheDevelopmentKey() async throws {
        #expect(await refusal([:])?.hasPrefix("configuration AUTH_JWKS_FILE: no key to verify access tokens") == true)
        let dev = TestAccess.environment
        #expect(await refusal(dev.merging(["HOMEWARD_ENVIRONMENT": "production", "STORE_KEYS": "k1:\(Data(count: 32).base64EncodedString())"]) { $1 })?
            .hasPrefix("configuration AUTH_DEV_KEY: a development key is refused when HOMEWARD_ENVIRONMENT is production") == true)
        #expect(await refusal(["AUTH_DEV_KEY": "c2hvcnQ="])?.hasPrefix("configuration AUTH_DEV_KEY: not base64 of at least 32 bytes") == true)
        #expect(await refusal(["AUTH_JWKS_FILE": "/nonexistent/jwks.json"])?.hasPrefix("configuration AUTH_JWKS_FILE: cannot read") == true)
        #expect(await refusal(["HOMEWARD_ENVIRONMENT": "staging"])?.hasPrefix("configuration HOMEWARD_ENVIRONMENT:") == true)
    }

    @Test func standbyCopiesNeedTheChangelog() async throws {
        let dev = TestAccess.environment
        #expect(await refusal(dev.merging(["STORE_STANDBY_REPLICAS": "1"]) { $1 })?
            .hasPrefix("configuration STORE_STANDBY_REPLICAS: standby copies are kept from the changelog") == true)
        #expect(await refusal(dev.merging(["STORE_CHANGELOG": "true", "STORE_STANDBY_REPLICAS": "9"]) { $1 })?
            .hasPrefix("configuration STORE_STANDBY_REPLICAS: '9' is not a whole number in 0...8") == true)
        #expect(try await load(["STORE_CHANGELOG": "true", "STORE_STANDBY_REPLICAS": "2"]).storeStandbyReplicas == 2)
        #expect(try await load([:]).storeStandbyReplicas == 0)
    }

    @Test func defaultsRunAgainstTheEmbeddedBroker() async throws {
        let directory = try makeWorkDirectory("config")
        try "127.0.0.1:40123\n".write(to: directory.appendingPathComponent("broker.address"), atomically: true, encoding: .utf8)
        let config = try await load(["DATA_DIRECTORY": directory.path])
        #expect(config.kafka.bootstrapServers == "127.0.0.1:40123")
        #expect(config.httpPort == 8082)
        #expect(config.storeDirectory == directory.path + "/health-screening")
        #expect(config.storePath == directory.path + "/health-screening.sqlite")
        #expect(config.topicPartitions == 12)
        #expect(config.createTopics)
    }

    @Test func kafkaPropertiesPassThroughAndThePasswordStaysSeparate() async throws {
        let config = try await load([
            "KAFKA_BOOTSTRAP_SERVERS": "k1:9092,k2:9092",
            "KAFKA_PROPERTIES": "security.protocol=SASL_SSL, sasl.mechanisms=SCRAM-SHA-512,ssl.ca.location=/ca.pem,",
            "KAFKA_SASL_PASSWORD": "s3cret",
        ])
        #expect(config.kafka.bootstrapServers == "k1:9092,k2:9092")
        #expect(config.kafka["security.protocol"] == "SASL_SSL")
        #expect(config.kafka["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(config.kafka["ssl.ca.location"] == "/ca.pem")
        #expect(config.kafka["sasl.password"] == "s3cret")
    }

    /// Every topic a service creates has an explicit retention: events and dead letters are
    /// deleted after theirs (configuration), changelogs and owners compacted; the inbox keeps
    /// an event's row until Kafka holds no copy of it, a replayed dead letter's included.
    @Test func everyTopicItCreatesHasAnExplicitRetention() async throws {
        func settings(_ environment: [String: String]) async throws -> ([String: [String: String]], ServiceConfiguration) {
            let config = try await load(environment)
            let specs = TopicRetention.specs(["e", "d", "c", "o"], compacted: ["o"], changelogs: ["c"], deadLetters: ["d"], single: ["o"], config: config)
            #expect(specs.map(\.partitions) == [12, 12, 12, 1])
            return (Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.configs) }), config)
        }
        let day = 86_400_000
        var (topics, config) = try await settings([:])
        #expect(topics["e"] == ["cleanup.policy": "delete", "retention.ms": "\(30 * day)", "segment.ms": "\(day)"])
        #expect(topics["d"] == ["cleanup.policy": "delete", "retention.ms": "\(14 * day)", "segment.ms": "\(day)"])
        #expect(topics["c"] == ["cleanup.policy": "compact", "max.compaction.lag.ms": "\(day)", "segment.ms": "\(day)"])
        #expect(topics["o"] == ["cleanup.policy": "compact"])
        #expect(config.inboxRetention == .seconds(46 * 86_400), "a replayed dead letter's copy too")
        (topics, config) = try await settings(["KAFKA_TOPIC_EVENTS_RETENTION_DAYS": "90", "KAFKA_TOPIC_DLQ_RETENTION_DAYS": "7",
                                               "KAFKA_TOPIC_CHANGELOG_COMPACTION_HOURS": "6"])
        #expect(topics["e"]?["retention.ms"] == "\(90 * day)" && topics["d"]?["retention.ms"] == "\(7 * day)")
        #expect(topics["c"]?["max.compaction.lag.ms"] == "\(day / 4)")
        #expect(config.inboxRetention == .seconds(99 * 86_400))
        #expect(await refusal(TestAccess.environment.merging(["KAFKA_TOPIC_EVENTS_RETENTION_DAYS": "1"]) { $1 })?
            .hasPrefix("configuration KAFKA_TOPIC_EVENTS_RETENTION_DAYS: '1' is not a whole number in 2...3650") == true)
    }

    @Test func emptyValuesCountAsUnset() async throws {
        let config = try await load(["KAFKA_PROPERTIES": "", "HTTP_PORT": "", "KAFKA_BOOTSTRAP_SERVERS": "", "BROKER_ADDRESS_FILE": "/nonexistent"])
        #expect(config.httpPort == 8082)
        #expect(config.kafka.bootstrapServers == "127.0.0.1:9092")
    }

    @Test(arguments: [
        ("HTTP_PORT", "80a"), ("HTTP_PORT", "70000"), ("KAFKA_TOPIC_PARTITIONS", "0"), ("KAFKA_TOPIC_CREATE", "maybe"),
        ("LOG_LEVEL", "loud"), ("KAFKA_PROPERTIES", "security.protocol"), ("CONSUMER_ATTEMPTS_MAX", "-1"),
    ])
    func badValuesAreRefusedNamingTheVariable(name: String, value: String) async throws {
        do {
            _ = try await load([name: value])
            Issue.record("\(name)=\(value) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.hasPrefix("configuration \(name):"))
        }
    }
}

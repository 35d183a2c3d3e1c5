public import Configuration
public import Kafka
public import Foundation
public import HomewardModel

/// Everything a service reads from its environment, read once at start.
///
/// Sources, first wins: environment variables (`HTTP_PORT` for `http.port`), the JSON
/// file named by `CONFIG_FILE`, then defaults that run against the embedded broker.
/// `deploy/README.md` lists every variable.
public struct ServiceConfiguration: Sendable {
    public var service: ServiceName
    /// This process's id among replicas sharing the store (lease holder, client id).
    public var instanceID: String
    public var httpHost: String
    public var httpPort: Int
    public var storePath: String
    public var kafka: KafkaConfig
    public var topicPartitions: Int
    public var topicReplication: Int
    public var createTopics: Bool
    public var kafkaStartupTimeout: Duration
    public var consumerMaxBatch: Int
    public var handlerMaxAttempts: Int
    public var relayMaxBatch: Int
    public var shutdownGrace: Duration
    public var logLevel: String
    public var logFormat: String
    /// The whole reader, for service-specific settings (programme rules).
    public var reader: ConfigReader

    public static func defaultPort(of service: ServiceName) -> Int {
        switch service {
        case .intake: 8081
        case .healthScreening: 8082
        case .travelBooking: 8083
        case .reintegration: 8084
        }
    }

    /// Reads the configuration of `service` from the process environment.
    public static func load(for service: ServiceName, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> ServiceConfiguration {
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .dynamic { key, _ in key.contains("PASSWORD") || key.contains("SECRET") || key.contains("KEY") })
        ]
        if let file = environment["CONFIG_FILE"], !file.isEmpty {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
        }
        return try ServiceConfiguration(service: service, reader: ConfigReader(providers: providers))
    }

    public init(service: ServiceName, reader: ConfigReader) throws {
        self.service = service
        self.reader = reader
        let dataDirectory = reader.string(forKey: "data.directory", default: "data")
        instanceID = reader.string(forKey: "service.instance", default: "\(ProcessInfo.processInfo.hostName)-\(getpid())")
        httpHost = reader.string(forKey: "http.host", default: "127.0.0.1")
        httpPort = reader.int(forKey: "http.port", default: Self.defaultPort(of: service))
        storePath = reader.string(forKey: "store.path", default: "\(dataDirectory)/\(service.rawValue).sqlite")

        var properties: [String: String] = [:]
        for pair in reader.stringArray(forKey: "kafka.properties", default: []) {
            guard let eq = pair.firstIndex(of: "=") else {
                throw ConfigurationError.invalid(key: "KAFKA_PROPERTIES", reason: "'\(pair)' is not name=value")
            }
            properties[String(pair[..<eq]).trimmingCharacters(in: .whitespaces)] = String(pair[pair.index(after: eq)...])
        }
        if let password = reader.string(forKey: "kafka.sasl.password", isSecret: true) {
            properties["sasl.password"] = password
        }
        let bootstrap = reader.string(forKey: "kafka.bootstrap.servers")
            ?? Self.embeddedBrokerAddress(file: reader.string(forKey: "broker.address.file", default: "\(dataDirectory)/broker.address"))
            ?? "127.0.0.1:9092"
        kafka = KafkaConfig(bootstrapServers: bootstrap, properties: properties)
        kafka["client.id"] = "\(service.rawValue)-\(instanceID)"
        topicPartitions = reader.int(forKey: "kafka.topic.partitions", default: 12)
        topicReplication = reader.int(forKey: "kafka.topic.replication", default: 1)
        createTopics = reader.bool(forKey: "kafka.topic.create", default: true)
        kafkaStartupTimeout = .seconds(reader.int(forKey: "kafka.startup.timeout.seconds", default: 60))
        consumerMaxBatch = reader.int(forKey: "consumer.batch.max", default: 500)
        handlerMaxAttempts = reader.int(forKey: "consumer.attempts.max", default: 3)
        relayMaxBatch = reader.int(forKey: "relay.batch.max", default: 500)
        shutdownGrace = .seconds(reader.int(forKey: "shutdown.grace.seconds", default: 8))
        logLevel = reader.string(forKey: "log.level", default: "info")
        logFormat = reader.string(forKey: "log.format", default: "json")
        guard (1...65535).contains(httpPort) else { throw ConfigurationError.invalid(key: "HTTP_PORT", reason: "\(httpPort) is not a port") }
        guard topicPartitions > 0 else { throw ConfigurationError.invalid(key: "KAFKA_TOPIC_PARTITIONS", reason: "must be positive") }
        guard handlerMaxAttempts > 0 else { throw ConfigurationError.invalid(key: "CONSUMER_ATTEMPTS_MAX", reason: "must be positive") }
    }

    /// The embedded broker writes its address here (`homeward-broker --address-file`).
    static func embeddedBrokerAddress(file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let address = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return address.isEmpty ? nil : address
    }
}

/// A configuration value that cannot be used, named by its environment variable.
public enum ConfigurationError: Error, CustomStringConvertible {
    case invalid(key: String, reason: String)
    public var description: String {
        switch self {
        case .invalid(let key, let reason): "configuration \(key): \(reason)"
        }
    }
}

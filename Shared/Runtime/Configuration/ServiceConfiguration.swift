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
    /// `production` refuses development conveniences (the local stack's signing key,
    /// generated store keys); `development` is the default.
    public var environment: DeploymentEnvironment
    /// This process's id among replicas sharing the store (lease holder, client id).
    public var instanceID: String
    public var httpHost: String
    public var httpPort: Int
    /// Where other replicas reach this one's HTTP API (`HTTP_ADVERTISED_URL`), announced with
    /// the partitions it owns; by default this host's name (or ``httpHost`` when it names
    /// one address) and ``httpPort``.
    public var httpAdvertisedURL: URL
    /// The partition stores' directory (``PartitionStores``).
    public var storeDirectory: String
    /// A single store from before partition stores, split into ``storeDirectory`` once.
    public var storePath: String
    /// Where generated development files go (`<data directory>/<service>.store-key`).
    public var dataDirectory: String
    /// The service's ``ErasureLedger``: outside ``storeDirectory``, so that no backup of the
    /// stores holds it and no restore replaces it.
    public var erasureLedgerPath: String
    /// The store keys, `kid:base64key[,kid:base64key...]` (secret); nil in development
    /// means a generated key (see ``StoreKeys``), and production refuses to start.
    public var storeKeys: String?
    /// The key id new values are sealed under; nil means the first of ``storeKeys``.
    public var storeKeyActive: String?
    /// Whether the partition stores write every change to the service's compacted changelog
    /// topic and are restored from it when a replica takes a partition (`STORE_CHANGELOG`).
    /// Off by default while it costs a stage most of its throughput (BENCHMARKS.md).
    public var storeChangelog: Bool
    /// Standby copies kept of each partition store on other hosts (needs the changelog).
    public var storeStandbyReplicas: Int
    public var kafka: KafkaConfig
    public var topicPartitions: Int
    public var topicReplication: Int
    public var createTopics: Bool
    /// How long Kafka keeps the events topics' records (`retention.ms`, set when the service
    /// creates them). A consumer stopped longer than this misses events.
    public var eventsRetention: Duration
    /// How long Kafka keeps dead letters: shorter, as a poison event may carry what its
    /// producer should never have sent.
    public var deadLettersRetention: Duration
    /// Within how long a changelog row's older values are compacted away
    /// (`max.compaction.lag.ms`, and `segment.ms` so that a segment rolls to be compacted):
    /// an erased person's sealed values leave Kafka's log within about twice that.
    public var changelogCompaction: Duration
    /// How long an inbox row is kept: as long as the event may be delivered again. A copy
    /// replayed from the dead letters (kept for their retention) goes back to its events
    /// topic (kept for the events' retention), each a segment's day longer at most. Past
    /// that, Kafka holds no copy of the event.
    public var inboxRetention: Duration { deadLettersRetention + eventsRetention + TopicRetention.segment * 2 }
    public var kafkaStartupTimeout: Duration
    public var consumerMaxBatch: Int
    public var handlerMaxAttempts: Int
    public var relayMaxBatch: Int
    /// How long published outbox rows are kept (for inspection) before they are deleted.
    public var outboxRetention: Duration
    /// How long an audit entry keeps its content (who, what, which case, from where) before
    /// it is emptied, its place in the chain kept; nil: for good.
    public var auditRetention: Duration?
    /// The largest document a service takes, in bytes (``DocumentContent``).
    public var documentsMaxBytes: Int
    public var shutdownGrace: Duration
    public var logLevel: String
    public var logFormat: String
    /// The JWKS document (`AUTH_JWKS_FILE`) whose public keys verify access tokens.
    public var accessJWKS: String?
    /// The local stack's symmetric signing key (`AUTH_DEV_KEY`); refused in production.
    public var accessDevelopmentKey: Data?
    /// The whole reader, for service-specific settings (programme rules).
    public var reader: ConfigReader
    /// The strict reader for a service's own settings.
    public var values: StrictValues { StrictValues(reader: reader) }

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
        let values = StrictValues(reader: reader)
        let dataDirectory = values.string("data.directory") ?? "data"
        self.dataDirectory = dataDirectory
        environment = try DeploymentEnvironment(rawValue: values.choice("homeward.environment", default: "development", among: DeploymentEnvironment.allCases.map(\.rawValue)))!
        instanceID = values.string("service.instance") ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        httpHost = values.string("http.host") ?? "127.0.0.1"
        httpPort = try values.int("http.port", default: Self.defaultPort(of: service), in: 0...65535)
        if let advertised = values.string("http.advertised.url") {
            guard let url = URL(string: advertised), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError.invalid(key: "HTTP_ADVERTISED_URL", reason: "not an http:// or https:// URL with a host")
            }
            httpAdvertisedURL = url
        } else {
            let host = ["0.0.0.0", "::", ""].contains(httpHost) ? ProcessInfo.processInfo.hostName : httpHost
            httpAdvertisedURL = URL(string: "http://\(host.contains(":") ? "[\(host)]" : host):\(httpPort)")!
        }
        storeDirectory = values.string("store.directory") ?? "\(dataDirectory)/\(service.rawValue)"
        storePath = values.string("store.path") ?? "\(dataDirectory)/\(service.rawValue).sqlite"
        erasureLedgerPath = values.string("erasure.ledger.path") ?? "\(dataDirectory)/\(service.rawValue).erasures.sqlite"
        storeKeys = values.string("store.keys", isSecret: true)
        if storeKeys == nil, let file = values.string("store.keys.file") {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ConfigurationError.invalid(key: "STORE_KEYS_FILE", reason: "cannot read '\(file)'")
            }
            storeKeys = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        storeKeyActive = values.string("store.key.active")
        storeChangelog = try values.bool("store.changelog", default: false)
        storeStandbyReplicas = try values.int("store.standby.replicas", default: 0, in: 0...8)
        if storeStandbyReplicas > 0, !storeChangelog {
            throw ConfigurationError.invalid(key: "STORE_STANDBY_REPLICAS", reason: "standby copies are kept from the changelog: set STORE_CHANGELOG=true as well, or 0")
        }
        if storeKeys == nil, storeKeyActive != nil {
            throw ConfigurationError.invalid(key: "STORE_KEY_ACTIVE", reason: "set without STORE_KEYS")
        }

        var properties: [String: String] = [:]
        for pair in (values.string("kafka.properties") ?? "").split(separator: ",") where !pair.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ConfigurationError.invalid(key: "KAFKA_PROPERTIES", reason: "an entry is not name=value")
            }
            properties[String(pair[..<eq]).trimmingCharacters(in: .whitespaces)] = String(pair[pair.index(after: eq)...])
        }
        if let password = values.string("kafka.sasl.password", isSecret: true) {
            properties["sasl.password"] = password
        }
        if let password = values.string("kafka.ssl.key.password", isSecret: true) {
            properties["ssl.key.password"] = password
        }
        let bootstrap = values.string("kafka.bootstrap.servers")
            ?? Self.embeddedBrokerAddress(file: values.string("broker.address.file") ?? "\(dataDirectory)/broker.address")
            ?? "127.0.0.1:9092"
        kafka = KafkaConfig(bootstrapServers: bootstrap, properties: properties)
        if kafka["client.id"] == nil { kafka["client.id"] = "\(service.rawValue)-\(instanceID)" }
        topicPartitions = try values.int("kafka.topic.partitions", default: 12, in: 1...10_000)
        topicReplication = try values.int("kafka.topic.replication", default: 1, in: 1...100)
        createTopics = try values.bool("kafka.topic.create", default: true)
        eventsRetention = .seconds(86_400 * (try values.int("kafka.topic.events.retention.days", default: 30, in: 2...3650)))
        deadLettersRetention = .seconds(86_400 * (try values.int("kafka.topic.dlq.retention.days", default: 14, in: 2...3650)))
        changelogCompaction = .seconds(3600 * (try values.int("kafka.topic.changelog.compaction.hours", default: 24, in: 1...8760)))
        kafkaStartupTimeout = .seconds(try values.int("kafka.startup.timeout.seconds", default: 60, in: 0...3600))
        consumerMaxBatch = try values.int("consumer.batch.max", default: 500, in: 1...100_000)
        handlerMaxAttempts = try values.int("consumer.attempts.max", default: 3, in: 1...100)
        relayMaxBatch = try values.int("relay.batch.max", default: 500, in: 1...100_000)
        outboxRetention = .seconds(3600 * (try values.int("outbox.retention.hours", default: 168, in: 0...87_600)))
        let auditDays = try values.int("audit.retention.days", default: 2_555, in: 0...36_500)  // 0: for good
        auditRetention = auditDays == 0 ? nil : .seconds(86_400 * auditDays)
        documentsMaxBytes = try values.int("documents.max.bytes", default: 4_194_304, in: 1024...DocumentContent.ceiling)
        shutdownGrace = .seconds(try values.int("shutdown.grace.seconds", default: 8, in: 1...600))
        logLevel = try values.choice("log.level", default: "info", among: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
        logFormat = try values.choice("log.format", default: "json", among: ["json", "text"])

        if let file = values.string("auth.jwks.file") {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ConfigurationError.invalid(key: "AUTH_JWKS_FILE", reason: "cannot read '\(file)'")
            }
            accessJWKS = text
        }
        if let text = values.string("auth.dev.key", isSecret: true) {
            guard environment == .development else {
                throw ConfigurationError.invalid(key: "AUTH_DEV_KEY", reason: "a development key is refused when HOMEWARD_ENVIRONMENT is production; use AUTH_JWKS_FILE")
            }
            guard let key = Data(base64Encoded: text), key.count >= 32 else {
                throw ConfigurationError.invalid(key: "AUTH_DEV_KEY", reason: "not base64 of at least 32 bytes")
            }
            accessDevelopmentKey = key
        }
        guard accessJWKS != nil || accessDevelopmentKey != nil else {
            throw ConfigurationError.invalid(
                key: "AUTH_JWKS_FILE", reason: "no key to verify access tokens: set AUTH_JWKS_FILE (or, outside production, AUTH_DEV_KEY)")
        }
    }

    /// The embedded broker writes its address here (`homeward-broker --address-file`).
    static func embeddedBrokerAddress(file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let address = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return address.isEmpty ? nil : address
    }
}

/// Where a service runs: production refuses what only suits a developer's machine.
public enum DeploymentEnvironment: String, Sendable, CaseIterable {
    case development
    case production
}

/// Reads values so that an empty variable counts as unset and a value that does not
/// parse is an error naming its variable, never a silent fallback to the default. The
/// runtime's settings and every service's own are read through it.
public struct StrictValues: Sendable {
    let reader: ConfigReader

    public init(reader: ConfigReader) {
        self.reader = reader
    }

    static func environmentName(_ key: String) -> String {
        key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    public func string(_ key: String, isSecret: Bool = false) -> String? {
        guard let value = reader.string(forKey: ConfigKey(key), isSecret: isSecret)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    public func int(_ key: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(key) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError.invalid(key: Self.environmentName(key), reason: "'\(text)' is not a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// A number, decimals allowed, in `range`.
    public func number(_ key: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let text = string(key) else { return value }
        guard let number = Double(text), number.isFinite, range.contains(number) else {
            throw ConfigurationError.invalid(key: Self.environmentName(key), reason: "'\(text)' is not a number in \(String(format: "%g", range.lowerBound))...\(String(format: "%g", range.upperBound))")
        }
        return number
    }

    public func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let text = string(key)?.lowercased() else { return value }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigurationError.invalid(key: Self.environmentName(key), reason: "'\(text)' is not true or false")
        }
    }

    public func choice(_ key: String, default value: String, among choices: [String]) throws -> String {
        guard let text = string(key)?.lowercased() else { return value }
        guard choices.contains(text) else {
            throw ConfigurationError.invalid(key: Self.environmentName(key), reason: "'\(text)' is not one of \(choices.joined(separator: ", "))")
        }
        return text
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

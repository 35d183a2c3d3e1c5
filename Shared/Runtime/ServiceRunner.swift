public import Foundation
public import HomewardModel
public import HomewardAccess
import HomewardStore
public import Hummingbird
import Kafka
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// Assembles and runs one service process: store, topics, producer and outbox relay,
/// consumer and event pipeline, HTTP with health and metrics, until SIGTERM or SIGINT.
///
/// Shutdown order: HTTP stops taking requests, the consumer finishes its batch and
/// commits, then the relay publishes what was committed (within the grace period) and
/// flushes its producer.
public enum ServiceRunner {
    public static func run(
        _ name: ServiceName,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        makeService: @Sendable (ServiceConfiguration) throws -> any HomewardService
    ) async {
        let config: ServiceConfiguration
        do {
            config = try await ServiceConfiguration.load(for: name, environment: environment)
        } catch {
            fail("\(name.rawValue): cannot start: \(error)")
        }
        bootstrapObservability(config)
        let logger = Logger(label: name.rawValue)
        // The service's own settings and files (rules, programmes, survey) are part of starting.
        let service: any HomewardService
        do {
            service = try makeService(config)
        } catch {
            logger.critical("cannot start: \(error)")
            fail("\(name.rawValue): cannot start: \(error)")
        }
        do {
            try await run(config, service: service, logger: logger)
        } catch {
            logger.critical("stopped: \(error)")
            fail("\(name.rawValue): \(error)")
        }
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }

    static func bootstrapObservability(_ config: ServiceConfiguration) {
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        let service = config.service.rawValue
        let instance = config.instanceID
        LoggingSystem.bootstrap({ label, provider in
            var handler: any LogHandler = config.logFormat == "text"
                ? StreamLogHandler.standardError(label: label, metadataProvider: provider)
                : JSONLogHandler(label: label, metadataProvider: provider)
            handler.logLevel = level
            handler[metadataKey: "service"] = "\(service)"
            handler[metadataKey: "instance"] = "\(instance)"
            return handler
        }, metadataProvider: EventLogContext.metadataProvider)
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[RuntimeMetrics.hopLabel] = RuntimeMetrics.hopBuckets
        MetricsSystem.bootstrap(factory)
    }

    static let registry = PrometheusCollectorRegistry()

    static func run(_ config: ServiceConfiguration, service: any HomewardService, logger: Logger) async throws {
        let cipher = try StoreKeys.cipher(for: config, logger: logger)
        let name = config.service
        let ledger = try ErasureLedger(path: config.erasureLedgerPath)
        let stores = try PartitionStores(
            directory: config.storeDirectory, partitionCount: config.topicPartitions, cipher: cipher, ledger: ledger, legacyStore: config.storePath,
            changelogTopic: config.storeChangelog ? name.changelogTopic : nil,
            partitionedTables: service.partitionedTables, migrations: service.migrate)
        // A store restored from a backup taken before an erasure is erased again before it serves.
        let erasedAgain = try ledger.reapply(to: stores.store(for:), erase: service.eraseAgain)
        if !erasedAgain.isEmpty {
            logger.notice("erasure ledger: \(erasedAgain.count) erased cases were back in the stores (restored from a backup); erased again",
                          metadata: ["cases": "\(erasedAgain.map(\.rawValue).joined(separator: ","))"])
        }
        logger.info("stores open in \(config.storeDirectory), \(stores.count) partitions, personal columns sealed under key \(cipher.activeKeyID)\(config.storeChangelog ? ", changes to \(name.changelogTopic)" : ", no changelog")",
                    metadata: ["store_keys": "\(cipher.keyIDs.joined(separator: ","))"])

        // With a changelog a stage may span hosts: its replicas announce what they own.
        let topics = [name.topic, name.deadLetterTopic] + (config.storeChangelog ? [name.changelogTopic, name.ownersTopic] : [])
            + service.subscriptions.map(\.topic)
        let specs = TopicRetention.specs(topics, compacted: [name.ownersTopic], changelogs: [name.changelogTopic], deadLetters: [name.deadLetterTopic],
                                         single: [name.ownersTopic], config: config)
        try await waitForBroker(config, topics: specs, logger: logger)

        let metrics = RuntimeMetrics()
        let signal = RelaySignal()
        // Every commit that adds outbox rows, whoever wrote them in this process (an HTTP
        // request, the event pipeline, a sweep), wakes the relay; without a changelog it
        // publishes them from memory.
        let memories = stores.partitions.map { _ in OutboxMemory(committed: { signal.notify() }) }
        for (store, memory) in zip(stores.partitions, memories) { memory.attach(to: store, noting: stores.changelog == nil) }
        let kafka = config.kafka
        let progress = stores.changelog.map { _ in ChangelogProgress() }
        let restore = stores.changelog.map {
            ChangelogRestore(stores: stores, capture: $0, kafka: kafka, metrics: metrics, logger: Logger(label: "\(name.rawValue).changelog"))
        }
        if let restore {
            let marked = await BlockingThread.run(name: "changelog-check") { Result { try restore.markCreatedStores() } }
            try marked.get()
        }
        let ownership = PartitionOwnership(stores: stores, holder: config.instanceID, ownsAll: service.subscriptions.isEmpty,
                                           restore: restore, logger: Logger(label: "\(name.rawValue).partitions"))
        let relay = try OutboxRelay(
            stores: stores, ownership: ownership, kafka: kafka,
            makeProducer: { try KafkaProducer(config: kafka, logger: Logger(label: "\(name.rawValue).producer")) },
            maxBatch: config.relayMaxBatch, retention: config.outboxRetention,
            signal: signal, metrics: metrics, changelog: progress.map { (name.changelogTopic, $0) }, memories: memories,
            drainTimeout: config.shutdownGrace / 2, logger: Logger(label: "\(name.rawValue).relay"))
        if stores.changelog != nil { ownership.publishesOnRelease { await relay.publishChangelog($0) } }

        let directory = OwnerDirectory()
        let routing = config.storeChangelog ? PartitionRouting(replica: config.instanceID, address: config.httpAdvertisedURL, volume: stores.volume,
                                                               ownership: ownership, directory: directory) : nil
        if let routing { ownership.waitsForClaims { routing.claimantElsewhere(of: $0) } }

        // Shut down in reverse: HTTP, the consumer, sweeps, the relay (drains), the
        // announcements (withdrawn), ownership.
        var services: [any Service] = [ownership]
        if let routing {
            services.append(try OwnerAnnouncer(routing: routing, directory: directory, topic: name.ownersTopic, kafka: kafka,
                                               logger: Logger(label: "\(name.rawValue).owners")))
            if let restore, config.storeStandbyReplicas > 0 {
                services.append(StandbyReplicas(count: config.storeStandbyReplicas, partitionCount: stores.count, routing: routing,
                                                ownership: ownership, restore: restore, metrics: metrics,
                                                logger: Logger(label: "\(name.rawValue).standby")))
            }
        }
        services.append(relay)
        let rotation = [(stores.service, KeyRotation.runtimeColumns)] + stores.partitions.map { ($0, KeyRotation.runtimeColumns + service.sealedColumns) }
        services.append(KeyRotationSweep(targets: rotation, logger: Logger(label: "\(name.rawValue).store-keys")))
        if !service.subscriptions.isEmpty { services.append(inboxRetention(config, stores: stores, ownership: ownership)) }
        if let retention = config.auditRetention { services.append(auditRetention(retention, config, stores: stores, ownership: ownership)) }
        services += service.backgroundServices(stores: stores, ownership: ownership, logger: Logger(label: "\(name.rawValue).background"))
        if !service.subscriptions.isEmpty {
            let consumer = try KafkaConsumer(
                config: config.kafka, groupID: name.consumerGroup, topics: service.subscriptions.map(\.topic),
                listener: RebalanceListener(assigned: ownership.assigned, revoked: { partitions in
                    ownership.revoked(partitions)
                    for tp in partitions where !ownership.isHeld(tp.partition) { progress?.forget(tp.partition) }
                }),
                logger: Logger(label: "\(name.rawValue).consumer"))
            let handlers = service.eventHandlers
            let pipeline = EventPipeline(
                stores: stores, ownership: ownership, registry: EventRegistry(handlers.handledEvents), group: name.consumerGroup,
                deadLetterTopic: name.deadLetterTopic, maxAttempts: config.handlerMaxAttempts, metrics: metrics, changelog: progress,
                logger: Logger(label: "\(name.rawValue).events"), apply: { event, db, _ in try handlers.apply(event, in: db) })
            services.append(ConsumerService(consumer: consumer, pipeline: pipeline, ownership: ownership,
                                            maxBatch: config.consumerMaxBatch, closeTimeout: config.shutdownGrace / 2))
        }

        let keys: AccessKeys
        do {
            keys = try await AccessKeys(jwks: config.accessJWKS, developmentKey: config.accessDevelopmentKey)
        } catch {
            throw ConfigurationError.invalid(key: "AUTH_JWKS_FILE", reason: "not a usable JWKS document: \(error)")
        }
        let barrier = progress.map { ChangelogBarrier(stores: stores, ownership: ownership, progress: $0, topic: name.changelogTopic) }
        let router = try makeRouter(service: service, stores: stores, keys: keys, changelog: barrier, routing: routing,
                                health: HealthController(store: stores.service, kafka: config.kafka, registry: registry))
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(config.httpHost, port: config.httpPort), serverName: name.rawValue),
            onServerRunning: { _ in logger.info("listening on http://\(config.httpHost):\(config.httpPort)") },
            logger: Logger(label: "\(name.rawValue).http"))
        services.append(app)

        let group = ServiceGroup(configuration: .init(
            // Named by type: without a name, ServiceLifecycle renders each service with
            // "\(service)", a reflective walk of its object graph, and a replica crashed
            // inside that walk once (a fatal "No foreign strings", cause not pinned down).
            services: services.map { .init(service: $0, serviceName: String(describing: type(of: $0))) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        do {
            try stores.close()
        } catch {
            logger.warning("stores not closed cleanly: \(error)")
        }
        logger.info("stopped")
    }

    /// The HTTP API: the headers every answer carries, authentication, the way to the
    /// owner of a case's store (across hosts), then the audit trail
    /// and idempotent retries, then health and metrics
    /// (public), the trail's export, the subject export, and the service's routes, each stating its roles; last,
    /// the answers for methods and paths no route takes.
    public static func makeRouter(service: any HomewardService, stores: PartitionStores, keys: AccessKeys, changelog: ChangelogBarrier? = nil,
                                  routing: PartitionRouting? = nil, health: HealthController?) throws -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: AnswerHeaders())
        router.add(middleware: Authentication(keys: keys))
        if let routing { router.add(middleware: OwnerForwarding(routing: routing, stores: stores)) }
        if stores.changelog != nil { router.add(middleware: RestoringStores(stores: stores)) }
        router.add(middleware: AuditMiddleware(stores: stores, changelog: changelog))
        let idempotency = IdempotencyMiddleware(stores: stores)
        router.add(middleware: idempotency)
        health?.addRoutes(to: router)
        AuditController(stores: stores).addRoutes(to: router)
        SubjectExportController(stores: stores, export: SubjectExport(service: service.eventHandlers.service, tables: service.partitionedTables,
                                                                      sealed: service.sealedColumns)).addRoutes(to: router)
        service.addRoutes(to: router, stores: stores)
        if let document = service.apiDocument { try DocumentController(document: document).addRoutes(to: router) }
        idempotency.routes.set(router.routes.map { ($0.method, $0.path.description) })
        RouteFallbacks.add(to: router)
        return router
    }

    /// A case's events must share one partition number on every topic, and that number
    /// names its store: every topic has the partition count the stores were made for.
    static func checkCoPartitioned(_ topics: [String], counts: [String: Int], expected: Int) throws {
        let wrong = topics.filter { counts[$0] != expected }
        guard wrong.isEmpty else {
            let found = wrong.map { "\($0) has \(counts[$0] ?? 0)" }.joined(separator: ", ")
            throw ConfigurationError.invalid(
                key: "KAFKA_TOPIC_PARTITIONS",
                reason: "\(expected), but \(found): every Homeward topic needs the same partition count, or a case's events land in different partitions")
        }
    }

    /// Hourly, deletes the inbox rows of events Kafka no longer holds (``ServiceConfiguration/inboxRetention``).
    static func inboxRetention(_ config: ServiceConfiguration, stores: PartitionStores, ownership: PartitionOwnership) -> PartitionSweep {
        let retention = config.inboxRetention
        return PartitionSweep("inbox retention", every: .seconds(3600), stores: stores, ownership: ownership,
                              logger: Logger(label: "\(config.service.rawValue).inbox"),
                              pass: { store in
                                  let cutoff = Date().addingTimeInterval(-TimeInterval(retention.components.seconds))
                                  return try await PartitionSweep.inBatches { try await store.write { db in try Inbox.prune(receivedBefore: cutoff, in: db) } }
                              },
                              report: { "inbox: deleted \($0) rows of events received more than \(retention.components.seconds / 86_400) days ago" })
    }

    /// Daily, empties the audit entries older than `retention` in the stores this replica
    /// owns and in the service store (``AuditTrail/prune(before:limit:in:)``).
    static func auditRetention(_ retention: Duration, _ config: ServiceConfiguration, stores: PartitionStores,
                               ownership: PartitionOwnership) -> PartitionSweep {
        PartitionSweep("audit retention", every: .seconds(86_400), stores: stores, ownership: ownership, including: stores.service,
                       logger: Logger(label: "\(config.service.rawValue).audit"),
                       pass: { store in
                           let cutoff = Instant.format(Date().addingTimeInterval(-TimeInterval(retention.components.seconds)))
                           return try await PartitionSweep.inBatches { try await store.write { db in try AuditTrail.prune(before: cutoff, in: db) } }
                       },
                       report: { "audit: emptied \($0) entries older than \(retention.components.seconds / 86_400) days, their place in the chain kept" })
    }

    /// Waits for the broker and creates missing topics; a clear error when it never answers,
    /// or when topics are missing and creating them is switched off.
    /// Topics of one partition are left out of the check that the rest agree.
    static func waitForBroker(_ config: ServiceConfiguration, topics specs: [TopicSpec], logger: Logger) async throws {
        let topics = specs.map(\.name)
        let single = Set(specs.filter { $0.partitions == 1 && config.topicPartitions != 1 }.map(\.name))
        let deadline = ContinuousClock.now.advanced(by: config.kafkaStartupTimeout)
        while true {
            let error: KafkaError
            do {
                if config.createTopics {
                    let created = try await KafkaAdmin.ensureTopics(specs, config: config.kafka, timeout: .seconds(5), logger: logger)
                    if !created.isEmpty { logger.info("created topics \(created.joined(separator: ", "))") }
                }
                let existing = try await KafkaAdmin.topics(config: config.kafka, timeout: .seconds(5), logger: logger)
                let missing = topics.filter { existing[$0] == nil }
                guard missing.isEmpty else {
                    throw ConfigurationError.invalid(
                        key: "KAFKA_TOPIC_CREATE", reason: "false, and the broker lacks \(missing.joined(separator: ", ")): create them first")
                }
                try checkCoPartitioned(topics.filter { !single.contains($0) }, counts: existing, expected: config.topicPartitions)
                return
            } catch let caught as KafkaError {
                error = caught
            }
            guard error.isUnreachable, ContinuousClock.now < deadline else { throw error }
            logger.warning("waiting for Kafka at \(config.kafka.bootstrapServers)")
            try await Task.sleep(for: .seconds(1))
        }
    }
}

import Foundation
import GRDB
import HomewardModel
import HomewardStore
import Kafka
import Logging

/// The checks after a fault run, on a quiet stack: the topics against every store, effects
/// against their causes, dead letters against the poison. Reads the stores read-only, as
/// `homeward backup` does; the services may still run.
struct StackAudit {
    let stack: LocalStack
    let bootstrap: String
    let logger: Logger

    struct Envelope {
        let id: String
        let type: String
        /// Type, subject, causation and data: two events with the same effect key are one
        /// effect applied twice.
        let effect: String
        let caused: Bool
    }

    func run(expectedPoison: [Chaos.Poison]) async throws -> [(String, Bool, String)] {
        let config = KafkaConfig(bootstrapServers: bootstrap)
        let poison = Set(expectedPoison.map { "\($0.topic):\($0.partition):\($0.offset)" })
        var events: [ServiceName: [String: Envelope]] = [:]
        var published = 0
        for service in ServiceName.allCases {
            let messages = try await TopicReader.readAll(topic: service.topic, config: config, timeout: .seconds(60), logger: logger)
            published += messages.count
            for message in messages where !poison.contains("\(message.topic):\(message.partition):\(message.offset)") {
                if let envelope = Self.envelope(message.value) { events[service, default: [:]][envelope.id] = envelope }
            }
        }
        var checks: [(String, Bool, String)] = []

        // Every consumer applied every event of its subscriptions that it handles, and nothing else.
        var missing: [String] = []
        var applied = 0
        for group in ServiceName.allCases {
            let handled = Set(group.consumes.map { $0.eventType.cloudEventsType })
            let expected = Set(group.subscriptions.flatMap { events[$0, default: [:]].values.filter { handled.contains($0.type) }.map(\.id) })
            var inbox = Set<String>()
            for store in try await stores(group) {
                inbox.formUnion(try await store.read { db in try Inbox.applied(in: db) })
            }
            applied += inbox.count
            let lost = expected.subtracting(inbox), phantom = inbox.subtracting(expected)
            if !lost.isEmpty || !phantom.isEmpty {
                missing.append("\(group.rawValue): \(lost.count) not applied, \(phantom.count) applied but not on its topics")
            }
        }
        checks.append(("every store applied every event of its subscriptions once (the stores agree)", missing.isEmpty,
                       missing.isEmpty ? "\(applied) applications of \(events.values.map(\.count).reduce(0, +)) distinct events" : missing.joined(separator: "; ")))

        // No effect twice: one event id per cause and content. Only events caused by events:
        // staff may rightly do the same thing twice (clear a traveller again after a hold).
        let all = events.values.flatMap(\.values)
        let byEffect = Dictionary(grouping: all.filter { $0.caused }, by: \.effect)
        let doubled = byEffect.values.filter { $0.count > 1 }
        checks.append(("no event applied twice (one effect per cause)", doubled.isEmpty,
                       doubled.isEmpty ? "\(byEffect.count) caused events of \(all.count), \(published) messages (\(published - all.count - expectedPoison.count) re-sent copies of the same ids)"
                           : "\(doubled.count) effects twice, e.g. \(doubled.first!.map(\.type))"))

        // Outboxes drained.
        var unpublished = 0
        for service in ServiceName.allCases {
            for store in try await stores(service) {
                unpublished += try await store.read { db in try Outbox.backlog(in: db) }
            }
        }
        checks.append(("every outbox published", unpublished == 0, "\(unpublished) rows left"))

        // Dead letters: exactly the poison, once per consumer group of its topic.
        var expected: Set<String> = []
        for p in expectedPoison {
            for group in ServiceName.allCases where group.subscriptions.contains(where: { $0.topic == p.topic }) {
                expected.insert("\(group.consumerGroup) \(p.topic):\(p.partition):\(p.offset)")
            }
        }
        var lettered: Set<String> = []
        var letters = 0
        for service in ServiceName.allCases {
            for letter in try await TopicReader.readAll(topic: service.deadLetterTopic, config: config, timeout: .seconds(60), logger: logger) {
                func header(_ name: String) -> String { letter.headers.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) } ?? "?" }
                letters += 1
                lettered.insert("\(header(DeadLetterHeader.consumerGroup)) \(header(DeadLetterHeader.originalTopic)):\(header(DeadLetterHeader.originalPartition)):\(header(DeadLetterHeader.originalOffset))")
            }
        }
        let unexpected = lettered.subtracting(expected), notLettered = expected.subtracting(lettered)
        checks.append(("the dead-letter topics hold exactly the poison events", unexpected.isEmpty && notLettered.isEmpty,
                       "\(expectedPoison.count) poison events, \(expected.count) expected letters, \(lettered.count) distinct letters (\(letters) messages)"
                       + (unexpected.isEmpty ? "" : "; unexpected: \(unexpected.sorted().prefix(3))") + (notLettered.isEmpty ? "" : "; missing: \(notLettered.sorted().prefix(3))")))
        return checks
    }

    /// Every store of the service: the service store and one per partition. On several
    /// hosts, each host's service store and, of each partition, the copy of the host that
    /// owns it now (its owner lease live): another host's copy is one it gave up, and
    /// may lag. Ownership may still be settling when the audit starts (a rebalance after
    /// the last restarts leaves a partition unowned for moments): the choice is made again
    /// for up to a minute before it counts as a failure.
    func stores(_ service: ServiceName) async throws -> [DatabasePool] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while true {
            do {
                return try ownedStores(service)
            } catch is CommandFailure where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private func ownedStores(_ service: ServiceName) throws -> [DatabasePool] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        let directories = Set((1...max(1, stack.replicas[service] ?? 1)).map { stack.storeDirectory(service, replica: $0).path }).sorted()
        let pools = try directories.flatMap(storeFiles).map { (name: URL(fileURLWithPath: $0).lastPathComponent, pool: try DatabasePool(path: $0, configuration: configuration)) }
        guard directories.count > 1 else { return pools.map(\.pool) }
        var chosen = pools.filter { $0.name == "service.sqlite" }.map(\.pool)
        for (name, copies) in Dictionary(grouping: pools.filter { $0.name != "service.sqlite" }, by: \.name).sorted(by: { $0.key < $1.key }) {
            // The lease of `PartitionOwnership` (HomewardRuntime), renewed by the owner a third of a lease apart.
            let owned = try copies.filter { copy in try copy.pool.read { db in try Lease.isHeldByOwner("owner", in: db) } }
            guard owned.count == 1 else {
                throw CommandFailure(description: "\(service.rawValue) \(name): \(owned.count) hosts' copies held by an owner, not one")
            }
            chosen.append(owned[0].pool)
        }
        return chosen
    }

    static func envelope(_ value: Data) -> Envelope? {
        guard let object = (try? JSONSerialization.jsonObject(with: value)) as? [String: Any],
              let id = object["id"] as? String, let type = object["type"] as? String else { return nil }
        let data = (try? JSONSerialization.data(withJSONObject: object["data"] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
        let effect = [type, object["subject"] as? String ?? "", object["causationid"] as? String ?? "", String(decoding: data, as: UTF8.self)].joined(separator: "|")
        return Envelope(id: id, type: type, effect: effect, caused: object["causationid"] is String)
    }
}

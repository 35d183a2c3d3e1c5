import Foundation
public import GRDB
public import HomewardModel
public import HomewardStore
import Hummingbird
import Kafka
import Synchronization

/// A service's state, one SQLite store per Kafka partition, as Kafka Streams keeps its state
/// stores: a case lives in the store of its partition (``KafkaPartitioner`` of its id, as
/// every producer of its events computes it), with that case's inbox, outbox, audit entries
/// and records. Beside them one small service store keeps what belongs to no case (the
/// audit entries of lists and reports) and the layout itself: how many partitions the
/// stores were made for.
///
/// ```
/// <directory>/service.sqlite
/// <directory>/partition-00.sqlite … partition-11.sqlite
/// ```
///
/// Replicas on one host open every store: whoever is assigned partition k applies its
/// events and publishes its outbox (``PartitionOwnership``); any replica reads and writes
/// any case for a request, under SQLite's locking.
public final class PartitionStores: Sendable {
    public let directory: String
    public let service: Store
    public let partitions: [Store]
    /// How every change reaches the service's changelog topic; nil when it has none.
    public let changelog: ChangelogCapture?
    /// Partition stores this process made (their files did not exist): with a changelog,
    /// they are restored from it before anyone answers from them.
    public let created: Set<Int32>
    /// This data directory's id, made with it: replicas announcing the same volume share
    /// their stores (one host), so each answers for the partitions the others own.
    public let volume: String
    /// Partition stores being restored from their changelog (``ChangelogRestore``), as last
    /// read from their marks; re-read while any is.
    private let restoring = Mutex<(partitions: Set<Int32>, readAt: ContinuousClock.Instant)>(([], .now))

    /// Opens (or makes) the layout; a legacy single store at `legacyStore` is split into it
    /// once, first (``LegacyStoreSplit``). Refuses stores made for another partition count.
    /// With a `changelogTopic`, every partition store writes its changes to it
    /// (``ChangelogCapture``); without, the capture is removed. Erasures are recorded in `ledger`.
    public init(directory: String, partitionCount: Int, cipher: FieldCipher?, ledger: ErasureLedger? = nil, legacyStore: String?, changelogTopic: String? = nil,
                partitionedTables: [PartitionedTable], migrations: @escaping (inout DatabaseMigrator) -> Void) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Replicas starting together: one lays out or splits, the others wait and open.
        let lock = try FileLock(path: "\(directory)/layout.lock")
        defer { lock.release() }
        let service = try Store(path: Self.servicePath(in: directory), cipher: cipher) { migrator in
            migrator.registerMigration("layout-v1") { db in
                try db.execute(sql: "CREATE TABLE store_layout (partitions INTEGER NOT NULL, split_from TEXT)")
            }
            migrator.registerMigration("volume-v1") { db in
                try db.execute(sql: "CREATE TABLE store_volume (id TEXT NOT NULL)")
                try db.execute(sql: "INSERT INTO store_volume (id) VALUES (?)", arguments: [UUID().uuidString.lowercased()])
            }
        }
        let recorded = try service.read { db in try Int.fetchOne(db, sql: "SELECT partitions FROM store_layout") }
        volume = try service.read { db in try String.fetchOne(db, sql: "SELECT id FROM store_volume") } ?? ""
        if let recorded, recorded != partitionCount {
            throw ConfigurationError.invalid(
                key: "KAFKA_TOPIC_PARTITIONS",
                reason: "\(partitionCount), but the stores in \(directory) were made for \(recorded) partitions; a case's partition would change. Keep \(recorded), or restore the stores into a new layout")
        }
        if recorded == nil, let legacyStore, FileManager.default.fileExists(atPath: legacyStore) {
            try LegacyStoreSplit(legacy: legacyStore, directory: directory, partitionCount: partitionCount,
                                 partitionedTables: partitionedTables, cipher: cipher, migrations: migrations).run(into: service)
        }
        created = Set((0..<partitionCount).filter { !FileManager.default.fileExists(atPath: Self.partitionPath($0, in: directory)) }.map { Int32($0) })
        let partitions = try (0..<partitionCount).map { k in
            try Store(path: Self.partitionPath(k, in: directory), cipher: cipher, ledger: ledger, maximumReaders: 2, migrations: migrations)
        }
        self.partitions = partitions
        // After the migrations, so that every column is captured.
        if let changelogTopic {
            let writer = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)).lowercased()
            let capture = try partitions[0].read { db in try ChangelogCapture(topic: changelogTopic, writer: writer, schemaOf: db) }
            for (k, store) in partitions.enumerated() { try store.write { db in try capture.install(partition: Int32(k), in: db) } }
            changelog = capture
            let marked = try partitions.indices.filter { k in try partitions[k].read { db in try ChangelogCapture.isRestoring(in: db) } }
            restoring.withLock { $0.partitions = Set(marked.map { Int32($0) }) }
        } else {
            // Without a changelog the stores go on alone: their position in an old one means
            // nothing any more (``ChangelogRestore`` refuses to guess from it later).
            for store in partitions { try store.write { db in try ChangelogCapture.lapse(in: db) } }
            changelog = nil
        }
        if recorded == nil {
            try service.write { db in
                if try Int.fetchOne(db, sql: "SELECT partitions FROM store_layout") == nil {
                    try db.execute(sql: "INSERT INTO store_layout (partitions) VALUES (?)", arguments: [partitionCount])
                }
            }
        }
        self.service = service
    }

    /// Whether partition `k`'s store is being restored (or waits for it): not to be answered from.
    public func isRestoring(_ partition: Int32) -> Bool { restoringNow().contains(partition) }

    /// The partition stores being restored now.
    public func restoringNow() -> Set<Int32> {
        let (partitions, readAt) = restoring.withLock { ($0.partitions, $0.readAt) }
        guard !partitions.isEmpty, readAt.duration(to: .now) > .seconds(1) else { return partitions }
        // Another replica on the host may be the one restoring: its marks say when it is done.
        let still = Set(partitions.filter { k in (try? self.partitions[Int(k)].read { db in try ChangelogCapture.isRestoring(in: db) }) ?? true })
        let cleared = partitions.subtracting(still)
        restoring.withLock { state in
            state.partitions.subtract(cleared)
            state.readAt = .now
        }
        return still
    }

    /// A restore of partition `k` starts (`true`) or ends: marked in the store, for every
    /// replica on the host, and here.
    public func setRestoring(_ partition: Int32, _ isRestoring: Bool) throws {
        try partitions[Int(partition)].write { db in
            if isRestoring { try ChangelogCapture.markRestoring(in: db) } else { try ChangelogCapture.clearRestoring(in: db) }
        }
        restoring.withLock { state in
            if isRestoring { state.partitions.insert(partition) } else { state.partitions.remove(partition) }
        }
    }

    public static func servicePath(in directory: String) -> String { "\(directory)/service.sqlite" }
    public static func partitionPath(_ k: Int, in directory: String) -> String {
        "\(directory)/partition-\(k < 10 ? "0" : "")\(k).sqlite"
    }

    public var count: Int { partitions.count }
    /// Every store: the service store first, then the partitions in order.
    public var all: [Store] { [service] + partitions }

    /// The partition of a case: where Kafka's default partitioner puts its events.
    public func partition(of caseID: CaseID) -> Int32 {
        KafkaPartitioner.partition(ofKey: caseID.rawValue.utf8, partitions: count)
    }

    public func store(for caseID: CaseID) -> Store { partitions[Int(partition(of: caseID))] }
    public subscript(partition: Int32) -> Store { partitions[Int(partition)] }

    /// Closes every store, at the end of a clean stop.
    public func close() throws {
        for store in all { try store.close() }
    }

    /// `body` in every partition store, in partition order (lists, reports, work lists);
    /// 503 while one is being restored or changes owner (a list without its cases would be
    /// a wrong answer). Partitions owned on another host are read there, through the same
    /// request (``RequestRouting``); a route reads this way once per request.
    public func readEach<T: Codable & Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> [T] {
        try await readEach(elsewhere: nil, body)
    }

    /// ``readEach(_:)`` from a route of one case (its owner answers it): the partitions
    /// owned elsewhere are read by asking their owners `POST path` with `question`, a list
    /// route whose part for them is the same `body` (``RequestRouting/ask``).
    public func readEach<T: Codable & Sendable>(asking path: String, _ question: some Encodable,
                                                _ body: @escaping @Sendable (Database) throws -> T) async throws -> [T] {
        try await readEach(elsewhere: (path, try JSONEncoder().encode(question)), body)
    }

    private func readEach<T: Codable & Sendable>(elsewhere asking: (path: String, body: Data)?,
                                                 _ body: @escaping @Sendable (Database) throws -> T) async throws -> [T] {
        let routing = RequestRouting.current
        let plan = routing?.plan(0..<Int32(count), everywhere: asking != nil) ?? (here: Array(0..<Int32(count)), elsewhere: [:], moving: [])
        let restoring = restoringNow()
        if plan.here.contains(where: restoring.contains) { throw Self.restoringProblem }
        if !plan.moving.isEmpty { throw RequestRouting.movingProblem }
        var results: [Int32: T] = [:]
        for partition in plan.here { results[partition] = try await partitions[Int(partition)].read(body) }
        if let routing, routing.only != nil, asking == nil {
            throw PartialAnswer(body: try JSONEncoder().encode(Dictionary(uniqueKeysWithValues: results.map { (String($0.key), $0.value) })))
        }
        if let routing, !plan.elsewhere.isEmpty {
            try await withThrowingTaskGroup(of: [Int32: T].self) { group in
                for (owner, asked) in plan.elsewhere {
                    group.addTask {
                        let answer = if let asking { try await routing.ask(owner, asked, asking.path, asking.body) } else { try await routing.fetch(owner, asked) }
                        return try Self.part(T.self, asked, of: answer)
                    }
                }
                for try await part in group { results.merge(part) { $1 } }
            }
        }
        return (0..<Int32(count)).compactMap { results[$0] }
    }

    /// One owner's part of a list: its results for `partitions`, or 503 if it lacks one.
    private static func part<T: Codable & Sendable>(_: T.Type, _ partitions: [Int32], of answer: ForwardedAnswer) throws -> [Int32: T] {
        guard answer.status == 200, let part = try? JSONDecoder().decode([String: T].self, from: answer.body) else {
            throw RequestRouting.movingProblem
        }
        var results: [Int32: T] = [:]
        for partition in partitions {
            guard let result = part[String(partition)] else { throw RequestRouting.movingProblem }
            results[partition] = result
        }
        return results
    }

    /// A new case's id from `make`, in a partition answered here. Across hosts a drawn id is
    /// drawn again until it lands in one (new cases spread over hosts as requests do); an id
    /// fixed by the request (its idempotency key) elsewhere sends the request to its owner.
    public func placeNewCase(fixed: Bool, _ make: () -> CaseID) throws -> CaseID {
        guard let routing = RequestRouting.current else { return make() }
        let plan = routing.plan(0..<Int32(count))
        let here = Set(plan.here)
        var id = make()
        var draws = 0
        while !fixed, draws < 256, !here.contains(partition(of: id)) {
            id = make()
            draws += 1
        }
        let partition = partition(of: id)
        if here.contains(partition) { return id }
        if let owner = plan.elsewhere.first(where: { $0.value.contains(partition) })?.key { throw ForwardToOwners(owners: [owner: [partition]]) }
        throw RequestRouting.movingProblem
    }

    /// The first non-nil answer of `body` across partition stores: a record found by an id
    /// that is not a case id (a traveller, a booking), which lives in exactly one of them.
    /// Stores being restored are not read: not found elsewhere while one is, it is 503.
    /// Not found here, a request is sent on to the owners of the other partitions
    /// (``ForwardToOwners``), unless `forwarding` is false (the search only concerns this host).
    public func locate<T: Sendable>(forwarding: Bool = true, _ body: @escaping @Sendable (Database) throws -> T?) async throws -> (Store, T)? {
        let routing = RequestRouting.current
        let plan = routing?.plan(0..<Int32(count)) ?? (here: Array(0..<Int32(count)), elsewhere: [:], moving: [])
        let restoring = restoringNow()
        for partition in plan.here where !restoring.contains(partition) {
            let store = partitions[Int(partition)]
            if let found = try await store.read(body) { return (store, found) }
        }
        let unsure = plan.here.contains(where: restoring.contains) || !plan.moving.isEmpty
        if forwarding, !plan.elsewhere.isEmpty { throw ForwardToOwners(owners: plan.elsewhere, unsure: unsure) }
        if plan.here.contains(where: restoring.contains) { throw Self.restoringProblem }
        if forwarding, !plan.moving.isEmpty { throw RequestRouting.movingProblem }
        return nil
    }

    /// Across hosts, a staff change commits to a partition store only while a replica of
    /// this host owns it: a change that raced the store's move to another host would stay
    /// in this copy, never seen by the new owner, which restores from the changelog. The
    /// request gets 503 `partition-moving` instead, and its retry reaches the new owner.
    @Sendable public func ownedHere(_ store: Store, _ db: Database) throws {
        guard partitions.contains(where: { $0 === store }) else { return }
        guard try Lease.isHeldByOwner(PartitionOwnership.leaseName, in: db) else { throw RequestRouting.movingProblem }
    }

    /// The answer while a store that may hold what was asked for is being restored.
    static let restoringProblem = Problem.tryAgain(
        rule: "store-restoring", detail: "this service is restoring a partition store from its changelog; try again shortly", afterSeconds: 2)
}

/// How a service table's rows map to a case, so that a legacy store can be split: the
/// table and an SQL expression giving the case id of a row.
public struct PartitionedTable: Sendable {
    public var table: String
    public var caseID: String

    public init(_ table: String, caseID: String = "case_id") {
        self.table = table
        self.caseID = caseID
    }
}

public import Foundation
public import GRDB
public import HomewardModel
public import HomewardStore
public import Hummingbird
public import Logging
public import ServiceLifecycle

/// What a service is: its domain logic, plugged into the runtime. Outbox rows written
/// through a store wake the relay by themselves. The runtime supplies configuration, the
/// partition stores with their outbox and inbox (``PartitionStores``: a case's records
/// live in the store of its partition), Kafka, HTTP, health, metrics, logs and shutdown.
public protocol HomewardService: Sendable {
    /// The services whose events this one consumes.
    var subscriptions: [ServiceName] { get }
    /// Its handlers, one per event type it applies; any other type arriving is dead-lettered.
    var eventHandlers: EventHandlers { get }
    /// Its own tables, after the runtime's, in every partition store.
    var schema: any ServiceSchema.Type { get }
    /// The OpenAPI document of its API, served at `/openapi.yaml`.
    var apiDocument: URL? { get }
    /// Its HTTP API: a request for a case reads and writes the store of its partition.
    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores)
    /// Work it does on its own schedule (sweeps), run and stopped with the process; a sweep
    /// that writes events covers only the partitions `ownership` holds.
    func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service]
    /// Erases a case again, as it did at `erasedAt`, in a store restored from a backup taken
    /// before (``ErasureLedger``): its own part of the erasure, announcing nothing.
    func eraseAgain(_ caseID: CaseID, erasedAt: Date, in db: Database) throws
}

extension HomewardService {
    public var apiDocument: URL? { nil }
    public func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service] { [] }

    public func migrate(_ migrator: inout DatabaseMigrator) { schema.register(in: &migrator) }
    public var partitionedTables: [PartitionedTable] { schema.partitionedTables }
    public var sealedColumns: [SealedColumn] { schema.sealedColumns }
}

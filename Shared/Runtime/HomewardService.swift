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
    /// The event types it applies; any other type arriving is dead-lettered.
    var handledEvents: [any EventPayload.Type] { get }
    /// Its own tables, after the runtime's, in every partition store.
    func migrate(_ migrator: inout DatabaseMigrator)
    /// Every table of its own with the case each row belongs to, to split a store from
    /// before partition stores; a table whose case comes through another is listed first.
    var partitionedTables: [PartitionedTable] { get }
    /// Applies one event in the consumer's transaction, in the store of the event's
    /// partition. Write state and append outbox events through `db`; throw
    /// ``EventRejected`` for an event that can never apply. It may run more than once for
    /// one event (a batch in which a handler threw is rolled back and applied again), so it
    /// touches nothing outside `db`.
    func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws
    /// Its HTTP API: a request for a case reads and writes the store of its partition.
    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores)
    /// Work it does on its own schedule (sweeps), run and stopped with the process; a sweep
    /// that writes events covers only the partitions `ownership` holds.
    func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service]
    /// Its personal columns, sealed at rest: the key rotation sweep re-seals them (and
    /// recomputes their keyed hashes) when the active key changes.
    var sealedColumns: [SealedColumn] { get }
}

extension HomewardService {
    public func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service] { [] }
    public var sealedColumns: [SealedColumn] { [] }
}

public import GRDB
public import HomewardModel
public import HomewardStore
public import Hummingbird
public import Logging
public import ServiceLifecycle

/// What a service is: its domain logic, plugged into the runtime. Outbox rows written
/// through the store wake the relay by themselves. The runtime supplies
/// configuration, the store with its outbox and inbox, Kafka, HTTP, health, metrics,
/// logs and shutdown.
public protocol HomewardService: Sendable {
    /// The services whose events this one consumes.
    var subscriptions: [ServiceName] { get }
    /// The event types it applies; any other type arriving is dead-lettered.
    var handledEvents: [any EventPayload.Type] { get }
    /// Its own tables, after the runtime's.
    func migrate(_ migrator: inout DatabaseMigrator)
    /// Applies one event in the consumer's transaction. Write state and append outbox
    /// events through `db`; throw ``EventRejected`` for an event that can never apply.
    func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws
    /// Its HTTP API.
    func addRoutes(to router: Router<ServiceRequestContext>, store: Store)
    /// Work it does on its own schedule (sweeps), run and stopped with the process.
    func backgroundServices(store: Store, logger: Logger) -> [any Service]
    /// Its personal columns, sealed at rest: the key rotation sweep re-seals them (and
    /// recomputes their keyed hashes) when the active key changes.
    var sealedColumns: [SealedColumn] { get }
}

extension HomewardService {
    public func backgroundServices(store: Store, logger: Logger) -> [any Service] { [] }
    public var sealedColumns: [SealedColumn] { [] }
}

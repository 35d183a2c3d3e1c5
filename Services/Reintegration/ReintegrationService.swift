import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import Logging

/// The reintegration service's domain logic. A shell so far: it runs the runtime (store,
/// outbox relay, health, metrics) and consumes nothing yet.
struct ReintegrationService: HomewardService {
    init(config: ServiceConfiguration) {}

    var subscriptions: [ServiceName] { [] }
    var handledEvents: [any EventPayload.Type] { [] }

    func migrate(_ migrator: inout DatabaseMigrator) {}

    func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws {
        throw EventRejected("the reintegration service handles no events yet")
    }

    func addRoutes(to router: Router<ServiceRequestContext>, store: Store, signal: RelaySignal) {}
}

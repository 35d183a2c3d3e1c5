import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Health screening: per-traveller screening and fitness to travel, with nothing medical
/// leaving the service.
struct HealthScreeningService: HomewardService {
    let workflow: HealthWorkflow
    let document: DocumentController
    var sweepInterval: Duration = .seconds(60)

    init(config: ServiceConfiguration) throws {
        let values = config.values
        let file = values.string("health.rules.file").map { URL(fileURLWithPath: $0) }
            ?? Bundle.module.url(forResource: "screening-rules", withExtension: "json")!
        workflow = HealthWorkflow(rules: try ScreeningRules.load(file: file), clock: { Date() })
        document = try DocumentController(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")!)
        sweepInterval = .seconds(try values.int("health.lapse.sweep.seconds", default: 60, in: 1...86_400))
    }

    var subscriptions: [ServiceName] { ServiceName.healthScreening.subscriptions }
    var handledEvents: [any EventPayload.Type] { HealthWorkflow.handledEvents }

    func migrate(_ migrator: inout DatabaseMigrator) {
        HealthSchema.register(in: &migrator)
    }

    var partitionedTables: [PartitionedTable] { HealthSchema.partitionedTables }

    func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws {
        try workflow.apply(event, in: db)
    }

    var sealedColumns: [SealedColumn] { HealthSchema.sealedColumns }

    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {
        TravellersController(stores: stores, workflow: workflow).addRoutes(to: router)
        document.addRoutes(to: router)
    }

    func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service] {
        [LapseSweep(stores: stores, ownership: ownership, workflow: workflow, interval: sweepInterval, logger: logger)]
    }
}

import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import Logging

/// Reintegration: the plan across economic, social and psychosocial dimensions, the
/// in-kind budget and its ledger, monitoring with sustainability scores, and closure.
struct ReintegrationService: HomewardService {
    let workflow: ReintegrationWorkflow
    let document: DocumentController
    let nearlySpent: Double
    let visitEvery: TimeInterval

    init(config: ServiceConfiguration) throws {
        let values = config.values
        let file = values.string("reintegration.survey.file").map { URL(fileURLWithPath: $0) }
            ?? Bundle.module.url(forResource: "sustainability-survey", withExtension: "json")!
        workflow = ReintegrationWorkflow(survey: try SustainabilitySurvey.load(file: file), clock: { Date() })
        document = try DocumentController(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")!)
        nearlySpent = Double(try values.int("reintegration.budget.nearly.spent.percent", default: 90, in: 1...100)) / 100
        visitEvery = TimeInterval(86_400 * (try values.int("reintegration.visit.every.days", default: 90, in: 1...3_650)))
    }

    var subscriptions: [ServiceName] { ServiceName.reintegration.subscriptions }
    var handledEvents: [any EventPayload.Type] { ReintegrationWorkflow.handledEvents }

    func migrate(_ migrator: inout DatabaseMigrator) {
        ReintegrationSchema.register(in: &migrator)
    }

    var partitionedTables: [PartitionedTable] { ReintegrationSchema.partitionedTables }

    func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws {
        try workflow.apply(event, in: db)
    }

    var sealedColumns: [SealedColumn] { ReintegrationSchema.sealedColumns }

    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {
        ReintegrationController(stores: stores, workflow: workflow, nearlySpent: nearlySpent, visitEvery: visitEvery).addRoutes(to: router)
        document.addRoutes(to: router)
    }
}

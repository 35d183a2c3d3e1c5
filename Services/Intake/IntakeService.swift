import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import Logging

/// Intake: registration, family, consent, voluntariness, eligibility by programme rules,
/// and each case's timeline across every service.
struct IntakeService: HomewardService {
    let workflow: IntakeWorkflow
    let document: DocumentController
    /// The "who" of the 5W report.
    var organisation = "IOM"

    init(config: ServiceConfiguration) throws {
        let directory = config.reader.string(forKey: "intake.programmes.directory")
            .map { URL(fileURLWithPath: $0) } ?? IntakeService.shippedProgrammes
        workflow = IntakeWorkflow(programmes: try ProgrammeCatalogue.load(directory: directory), clock: { Date() })
        document = try DocumentController(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")!)
        organisation = config.reader.string(forKey: "intake.report.organisation") ?? "IOM"
    }

    init(workflow: IntakeWorkflow) throws {
        self.workflow = workflow
        document = try DocumentController(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")!)
    }

    /// The programmes shipped with the service (the Canadian GTA pilot and a generic one).
    static var shippedProgrammes: URL { Bundle.module.url(forResource: "Programmes", withExtension: nil)! }

    var subscriptions: [ServiceName] { ServiceName.intake.subscriptions }
    var handledEvents: [any EventPayload.Type] { TimelineProjection.handledEvents }

    func migrate(_ migrator: inout DatabaseMigrator) {
        IntakeSchema.register(in: &migrator)
    }

    func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws {
        try TimelineProjection.apply(event, in: db)
    }

    func addRoutes(to router: Router<ServiceRequestContext>, store: Store) {
        CasesController(store: store, workflow: workflow).addRoutes(to: router)
        ReportsController(store: store, organisation: organisation).addRoutes(to: router)
        document.addRoutes(to: router)
    }
}

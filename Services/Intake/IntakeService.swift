import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Intake: registration, family, consent, voluntariness, eligibility by programme rules,
/// and each case's timeline across every service.
struct IntakeService: HomewardService {
    let workflow: IntakeWorkflow
    let document: DocumentController
    /// The "who" of the 5W report.
    var organisation = "IOM"
    /// How long after a case ended its personal data is kept; nil keeps it until an
    /// erasure request.
    var retention: TimeInterval? = Self.defaultRetentionDays * 86_400
    var retentionSweepInterval: Duration = .seconds(3600)

    /// Two years: Canada's Privacy Regulations (s. 4(1)(a)) keep personal information used
    /// for an administrative decision at least two years after its last use, so that the
    /// person can ask to see it; not checked against the pilot's own retention schedule.
    static let defaultRetentionDays = 730.0

    init(config: ServiceConfiguration) throws {
        let directory = config.reader.string(forKey: "intake.programmes.directory")
            .map { URL(fileURLWithPath: $0) } ?? IntakeService.shippedProgrammes
        workflow = IntakeWorkflow(programmes: try ProgrammeCatalogue.load(directory: directory), clock: { Date() })
        document = try DocumentController(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")!)
        organisation = config.reader.string(forKey: "intake.report.organisation") ?? "IOM"
        if let text = config.reader.string(forKey: "retention.days.after.closure")?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let days = Double(text), days.isFinite, days >= 0, days <= 36_500 else {
                throw ConfigurationError.invalid(key: "RETENTION_DAYS_AFTER_CLOSURE", reason: "'\(text)' is not a number of days from 0 to 36500 (0: never)")
            }
            retention = days == 0 ? nil : days * 86_400
        }
        if let text = config.reader.string(forKey: "retention.sweep.seconds")?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let seconds = Int(text), seconds >= 1 else {
                throw ConfigurationError.invalid(key: "RETENTION_SWEEP_SECONDS", reason: "'\(text)' is not a whole number of seconds from 1")
            }
            retentionSweepInterval = .seconds(seconds)
        }
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

    var partitionedTables: [PartitionedTable] { IntakeSchema.partitionedTables }

    func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws {
        try TimelineProjection.apply(event, in: db)
    }

    var sealedColumns: [SealedColumn] { IntakeSchema.sealedColumns }

    func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service] {
        guard let retention else { return [] }
        return [RetentionSweep(stores: stores, ownership: ownership, workflow: workflow, retention: retention,
                               interval: retentionSweepInterval, logger: logger)]
    }

    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {
        CasesController(stores: stores, workflow: workflow).addRoutes(to: router)
        ReportsController(stores: stores, organisation: organisation).addRoutes(to: router)
        document.addRoutes(to: router)
    }
}

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
    /// How this office fills R4V's 5W template.
    var fiveW: FiveWConfiguration = try! FiveWConfiguration.load(file: IntakeService.shippedFiveW)
    /// Its documents' kinds, roles and size limit (`DOCUMENTS_MAX_BYTES`).
    var documents = IntakeDocuments.rules()
    /// How long after a case ended its personal data is kept; nil keeps it until an
    /// erasure request.
    var retention: TimeInterval? = Self.defaultRetentionDays * 86_400
    var retentionSweepInterval: Duration = .seconds(3600)
    /// How long an active case not yet departed may go without a step on its timeline
    /// before the retention sweep withdraws it; nil: never.
    var inactivity: TimeInterval? = Self.defaultInactivityDays * 86_400

    /// Two years: Canada's Privacy Regulations (s. 4(1)(a)) keep personal information used
    /// for an administrative decision at least two years after its last use, so that the
    /// person can ask to see it; not checked against the pilot's own retention schedule.
    static let defaultRetentionDays = 730.0
    /// A year without a step: a family that has not been heard of since is withdrawn, and
    /// the retention period after its end runs as for any other ended case.
    static let defaultInactivityDays = 365.0

    init(config: ServiceConfiguration) throws {
        let values = config.values
        documents = IntakeDocuments.rules(limit: DocumentRules.configuredLimit(config))
        let directory = values.string("intake.programmes.directory")
            .map { URL(fileURLWithPath: $0) } ?? IntakeService.shippedProgrammes
        workflow = IntakeWorkflow(programmes: try ProgrammeCatalogue.load(directory: directory), clock: { Instant.now() })
        // The 5W report's organisation moved into its configuration: a deployment still
        // setting it would otherwise report under the shipped organisation unnoticed.
        guard values.string("intake.report.organisation") == nil else {
            throw ConfigurationError.invalid(key: "INTAKE_REPORT_ORGANISATION",
                                             reason: "is replaced by appealingOrganisation in the 5W configuration file (INTAKE_REPORT_FIVEW_FILE)")
        }
        fiveW = try FiveWConfiguration.load(file: values.string("intake.report.fivew.file").map { URL(fileURLWithPath: $0) } ?? IntakeService.shippedFiveW)
        let days = try values.number("retention.days.after.closure", default: 730, in: 0...36_500)  // 0: never by itself
        retention = days == 0 ? nil : days * 86_400
        retentionSweepInterval = .seconds(try values.int("retention.sweep.seconds", default: 3600, in: 1...86_400))
        let inactiveDays = try values.number("retention.days.inactive", default: 365, in: 0...36_500)  // 0: never
        inactivity = inactiveDays == 0 ? nil : inactiveDays * 86_400
    }

    init(workflow: IntakeWorkflow) throws {
        self.workflow = workflow
    }

    /// The programmes shipped with the service (the Canadian GTA pilot and a generic one).
    static var shippedProgrammes: URL { Bundle.module.url(forResource: "Programmes", withExtension: nil)! }

    /// The Canadian GTA pilot office's 5W configuration.
    static var shippedFiveW: URL { Bundle.module.url(forResource: "5w-canada-gta-pilot", withExtension: "json")! }

    var subscriptions: [ServiceName] { ServiceName.intake.subscriptions }
    var eventHandlers: EventHandlers { Self.handlers }

    /// One handler per event type intake consumes (every other service's): each a step of
    /// its case's timeline.
    static let handlers = EventHandlers(.intake, [
        ScreeningOpenedHandler(), ClearanceIssuedHandler(), ClearanceLapsedHandler(), HoldPlacedHandler(), ClearanceRefusedHandler(),
        PreEmbarkationCheckDoneHandler(), ErasureAppliedHandler<HealthErasureApplied>(), BookingProposedHandler(), BookingConfirmedHandler(),
        BookingOnHoldHandler(), BookingCancelledHandler(), DepartedHandler(), ArrivedHandler(), ErasureAppliedHandler<TravelErasureApplied>(),
        ReintegrationOpenedHandler(), PlanApprovedHandler(), AssistanceDisbursedHandler(), MonitoringRecordedHandler(), ReintegrationClosedHandler(),
        ErasureAppliedHandler<ReintegrationErasureApplied>(),
    ])

    func eraseAgain(_ caseID: CaseID, erasedAt: Date, in db: Database) throws {
        try workflow.eraseAgain(caseID, erasedAt: erasedAt, in: db)
    }

    var schema: any ServiceSchema.Type { IntakeSchema.self }
    var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service] {
        guard retention != nil || inactivity != nil else { return [] }
        return [RetentionSweep.sweep(every: retentionSweepInterval, retention: retention, inactivity: inactivity, workflow: workflow,
                                     stores: stores, ownership: ownership, logger: logger)]
    }

    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {
        CasesController(stores: stores, workflow: workflow).addRoutes(to: router)
        ReportsController(stores: stores, configuration: fiveW).addRoutes(to: router)
        CaseDocumentsController(stores: stores, rules: documents).addRoutes(to: router)
    }
}

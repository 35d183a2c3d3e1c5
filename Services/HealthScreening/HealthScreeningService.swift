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
    /// Its documents' kinds, roles and size limit (`DOCUMENTS_MAX_BYTES`).
    var documents = HealthDocuments.rules()
    var sweepInterval: Duration = .seconds(60)
    /// How long medical detail is kept after a case's travellers left (`HEALTH_MEDICAL_RETENTION_DAYS`); nil: until the case is erased.
    var medicalRetention: TimeInterval?

    init(config: ServiceConfiguration) throws {
        let values = config.values
        documents = HealthDocuments.rules(limit: DocumentRules.configuredLimit(config))
        let file = values.string("health.rules.file").map { URL(fileURLWithPath: $0) }
            ?? Bundle.module.url(forResource: "screening-rules", withExtension: "json")!
        workflow = HealthWorkflow(rules: try ScreeningRules.load(file: file), clock: { Instant.now() })
        sweepInterval = .seconds(try values.int("health.lapse.sweep.seconds", default: 60, in: 1...86_400))
        let days = try values.number("health.medical.retention.days", default: 90, in: 0...36_500)  // 0: until the case is erased
        medicalRetention = days == 0 ? nil : days * 86_400
    }

    var subscriptions: [ServiceName] { ServiceName.healthScreening.subscriptions }
    var eventHandlers: EventHandlers { Self.handlers(workflow) }

    /// One handler per event type health screening consumes (``ServiceName/consumes``).
    static func handlers(_ workflow: HealthWorkflow) -> EventHandlers {
        EventHandlers(.healthScreening, [
            ReadyForScreeningHandler(workflow: workflow), CaseWithdrawnHandler(), EligibilityRevokedHandler(),
            BookingConfirmedHandler(workflow: workflow), DepartedHandler(), BookingCancelledHandler(),
            BookingOnHoldHandler(workflow: workflow), PersonalDataErasedHandler(), ConsentChangedHandler(),
            TravellerCorrectedHandler(workflow: workflow),
        ])
    }

    func eraseAgain(_ caseID: CaseID, erasedAt: Date, in db: Database) throws {
        try PersonalDataErasedHandler.erase(caseID, at: erasedAt, in: db)
    }

    var schema: any ServiceSchema.Type { HealthSchema.self }
    var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {
        TravellersController(stores: stores, workflow: workflow).addRoutes(to: router)
        CaseDocumentsController(stores: stores, rules: documents).addRoutes(to: router)
    }

    func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service] {
        [LapseSweep.sweep(every: sweepInterval, workflow: workflow, stores: stores, ownership: ownership, logger: logger)]
            + (medicalRetention.map { [MedicalRetentionSweep.sweep(every: .seconds(3600), retention: $0, clock: workflow.clock, stores: stores,
                                                                   ownership: ownership, logger: logger)] } ?? [])
    }
}

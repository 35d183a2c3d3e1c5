import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Reintegration: reception prepared before arrival, the plan across economic, social and
/// psychosocial dimensions, the in-kind budget and its ledger, monitoring with
/// sustainability scores, and closure.
struct ReintegrationService: HomewardService {
    let workflow: ReintegrationWorkflow
    /// Its documents' kinds, roles and size limit (`DOCUMENTS_MAX_BYTES`).
    var documents = ReintegrationDocuments.rules()
    let nearlySpent: Double
    let visitEvery: TimeInterval
    let referralWaiting: TimeInterval
    /// Supervisors' changes to the partner directory, and every replica's view of them.
    let partnerFeed: PartnerFeed

    init(config: ServiceConfiguration) throws {
        let values = config.values
        documents = ReintegrationDocuments.rules(limit: DocumentRules.configuredLimit(config))
        let file = values.string("reintegration.survey.file").map { URL(fileURLWithPath: $0) }
            ?? Bundle.module.url(forResource: "sustainability-survey", withExtension: "json")!
        let partners = PartnerBook(seed: try values.string("reintegration.partners.file").map { try PartnerDirectory.load(file: URL(fileURLWithPath: $0)) }
            ?? PartnerDirectory.shipped())
        partnerFeed = PartnerFeed(book: partners, config: config, logger: Logger(label: "reintegration.partners"))
        workflow = ReintegrationWorkflow(survey: try SustainabilitySurvey.load(file: file), partners: partners, clock: { Instant.now() })
        nearlySpent = Double(try values.int("reintegration.budget.nearly.spent.percent", default: 90, in: 1...100)) / 100
        visitEvery = TimeInterval(86_400 * (try values.int("reintegration.visit.every.days", default: 90, in: 1...3_650)))
        referralWaiting = TimeInterval(86_400 * (try values.int("reintegration.referral.waiting.days", default: 5, in: 0...365)))
    }

    var subscriptions: [ServiceName] { ServiceName.reintegration.subscriptions }
    var eventHandlers: EventHandlers { Self.handlers(workflow) }

    /// One handler per event type reintegration consumes (``ServiceName/consumes``).
    static func handlers(_ workflow: ReintegrationWorkflow) -> EventHandlers {
        EventHandlers(.reintegration, [
            CaseRegisteredHandler(workflow: workflow), EligibilityDecidedHandler(workflow: workflow), ConsentChangedHandler(workflow: workflow),
            ExceptionChangedHandler(workflow: workflow),
            CaseWithdrawnHandler(workflow: workflow), EligibilityRevokedHandler(workflow: workflow), BookingConfirmedHandler(workflow: workflow),
            BookingOnHoldHandler(workflow: workflow), BookingCancelledHandler(workflow: workflow), ArrivedHandler(workflow: workflow),
            LateEntryReadyHandler(workflow: workflow), PersonalDataErasedHandler(),
        ])
    }

    func eraseAgain(_ caseID: CaseID, erasedAt: Date, in db: Database) throws {
        try PersonalDataErasedHandler.erase(caseID, at: erasedAt, in: db)
    }

    var schema: any ServiceSchema.Type { ReintegrationSchema.self }
    var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {
        ReintegrationController(stores: stores, workflow: workflow, nearlySpent: nearlySpent, visitEvery: visitEvery, referralWaiting: referralWaiting,
                                partnerFeed: partnerFeed).addRoutes(to: router)
        CaseDocumentsController(stores: stores, rules: documents).addRoutes(to: router)
    }

    func backgroundServices(stores: PartitionStores, ownership: PartitionOwnership, logger: Logger) -> [any Service] { [partnerFeed] }
}

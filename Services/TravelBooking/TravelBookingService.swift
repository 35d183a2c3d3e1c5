import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird

/// Travel booking: one itinerary per family, escorts and requirements, confirmations,
/// departures and arrivals; on hold, cancelled or rebooked as intake and health decide.
struct TravelBookingService: HomewardService {
    let workflow: TravelWorkflow
    /// Its documents' kinds, roles and size limit (`DOCUMENTS_MAX_BYTES`).
    var documents = TravelDocuments.rules()

    init(config: ServiceConfiguration) throws {
        let values = config.values
        documents = TravelDocuments.rules(limit: DocumentRules.configuredLimit(config))
        let connection = try values.int("travel.connection.minimum.minutes", default: 60, in: 0...1_440)
        let minutes = 0...525_600  // up to a year
        let schedule = ScheduleWindows(departureEarly: 60 * Double(try values.int("travel.departure.early.minutes", default: 120, in: minutes)),
                                       departureLate: 60 * Double(try values.int("travel.departure.late.minutes", default: 4320, in: minutes)),
                                       arrivalEarly: 60 * Double(try values.int("travel.arrival.early.minutes", default: 120, in: minutes)),
                                       arrivalLate: 60 * Double(try values.int("travel.arrival.late.minutes", default: 4320, in: minutes)))
        workflow = TravelWorkflow(minimumConnection: .seconds(60 * connection), clock: { Instant.now() }, schedule: schedule)
    }

    var subscriptions: [ServiceName] { ServiceName.travelBooking.subscriptions }
    var eventHandlers: EventHandlers { Self.handlers(workflow) }

    /// One handler per event type travel booking consumes (``ServiceName/consumes``).
    static func handlers(_ workflow: TravelWorkflow) -> EventHandlers {
        EventHandlers(.travelBooking, [
            CaseRegisteredHandler(), EligibilityDecidedHandler(), ReadyForScreeningHandler(), LateEntryReadyHandler(),
            CaseWithdrawnHandler(workflow: workflow), EligibilityRevokedHandler(workflow: workflow), OrientationRecordedHandler(), OrientationRequiredHandler(),
            ClearanceIssuedHandler(), ClearanceLapsedHandler(workflow: workflow), HoldPlacedHandler(workflow: workflow),
            ClearanceRefusedHandler(workflow: workflow), PreEmbarkationCheckDoneHandler(workflow: workflow), PersonalDataErasedHandler(),
            ConsentChangedHandler(workflow: workflow), TravellerCorrectedHandler(workflow: workflow), ExceptionChangedHandler(),
        ])
    }

    func eraseAgain(_ caseID: CaseID, erasedAt: Date, in db: Database) throws {
        try PersonalDataErasedHandler.erase(caseID, at: erasedAt, in: db)
    }

    var schema: any ServiceSchema.Type { TravelSchema.self }
    var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {
        BookingsController(stores: stores, workflow: workflow).addRoutes(to: router)
        CaseDocumentsController(stores: stores, rules: documents).addRoutes(to: router)
    }
}

import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore
import Hummingbird
import Logging

/// Travel booking: one itinerary per family, escorts and requirements, confirmations,
/// departures and arrivals; on hold, cancelled or rebooked as intake and health decide.
struct TravelBookingService: HomewardService {
    let workflow: TravelWorkflow
    let document: DocumentController

    init(config: ServiceConfiguration) throws {
        let values = config.values
        let connection = try values.int("travel.connection.minimum.minutes", default: 60, in: 0...1_440)
        let minutes = 0...525_600  // up to a year
        let schedule = ScheduleWindows(departureEarly: 60 * Double(try values.int("travel.departure.early.minutes", default: 120, in: minutes)),
                                       departureLate: 60 * Double(try values.int("travel.departure.late.minutes", default: 4320, in: minutes)),
                                       arrivalEarly: 60 * Double(try values.int("travel.arrival.early.minutes", default: 120, in: minutes)),
                                       arrivalLate: 60 * Double(try values.int("travel.arrival.late.minutes", default: 4320, in: minutes)))
        workflow = TravelWorkflow(minimumConnection: .seconds(60 * connection), clock: { Date() }, schedule: schedule)
        document = try DocumentController(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")!)
    }

    var subscriptions: [ServiceName] { ServiceName.travelBooking.subscriptions }
    var handledEvents: [any EventPayload.Type] { TravelWorkflow.handledEvents }

    func migrate(_ migrator: inout DatabaseMigrator) {
        TravelSchema.register(in: &migrator)
    }

    var partitionedTables: [PartitionedTable] { TravelSchema.partitionedTables }

    func apply(_ event: ReceivedEvent, in db: Database, logger: Logger) throws {
        try workflow.apply(event, in: db)
    }

    var sealedColumns: [SealedColumn] { TravelSchema.sealedColumns }

    func addRoutes(to router: Router<ServiceRequestContext>, stores: PartitionStores) {
        BookingsController(stores: stores, workflow: workflow).addRoutes(to: router)
        document.addRoutes(to: router)
    }
}

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
        let connection = config.reader.int(forKey: "travel.connection.minimum.minutes") ?? 60
        let reader = config.reader
        func minutes(_ value: Double?, _ standard: TimeInterval) -> TimeInterval { value.map { max(0, $0) * 60 } ?? standard }
        let schedule = ScheduleWindows(
            departureEarly: minutes(reader.double(forKey: "travel.departure.early.minutes"), ScheduleWindows.standard.departureEarly),
            departureLate: minutes(reader.double(forKey: "travel.departure.late.minutes"), ScheduleWindows.standard.departureLate),
            arrivalEarly: minutes(reader.double(forKey: "travel.arrival.early.minutes"), ScheduleWindows.standard.arrivalEarly),
            arrivalLate: minutes(reader.double(forKey: "travel.arrival.late.minutes"), ScheduleWindows.standard.arrivalLate))
        workflow = TravelWorkflow(minimumConnection: .seconds(60 * max(0, connection)), clock: { Date() }, schedule: schedule)
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

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
        let minutes = config.reader.int(forKey: "travel.connection.minimum.minutes") ?? 60
        workflow = TravelWorkflow(minimumConnection: .seconds(60 * max(0, minutes)), clock: { Date() })
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

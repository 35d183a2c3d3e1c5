import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A confirmed booking asks each active traveller for a pre-embarkation check in the
/// window before departure; a clearance that ends before the departure has lapsed for it.
struct BookingConfirmedHandler: EventHandler {
    let workflow: HealthWorkflow

    func handle(_ booking: BookingConfirmed, of event: ReceivedEvent, in db: Database) throws {
        let window = workflow.rules.preEmbarkationWindow(departure: booking.departureAt)
        for traveller in booking.travellerIDs where try HealthRepository.status(of: traveller, in: db) == .active {
            try HealthRepository.addDueCheck(traveller, booking: booking, window: window, in: db)
            if let clearance = try HealthRepository.latestClearance(of: traveller, case: event.caseID, in: db), clearance.validUntil < booking.departureAt, !clearance.announced {
                try workflow.announceLapse(clearance, cause: event, at: event.time, in: db)
            }
        }
    }
}

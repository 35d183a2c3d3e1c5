import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A cancelled booking's checks are no longer due.
struct BookingCancelledHandler: EventHandler {
    func handle(_ cancelled: BookingCancelled, of event: ReceivedEvent, in db: Database) throws {
        try HealthRepository.closeDueChecks(of: cancelled.bookingID, in: db)
    }
}

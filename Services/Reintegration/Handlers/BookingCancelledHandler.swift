import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Travel cancelled a booking: no reception for it; a case that expected it is pending again.
struct BookingCancelledHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ cancelled: BookingCancelled, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try workflow.dropBooking(cancelled.bookingID, of: event, in: db) }
    }
}

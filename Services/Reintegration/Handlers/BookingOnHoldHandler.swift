import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Travel put a booking on hold: it will not fly as booked, so a case that expected it is
/// pending again until travel rebooks (a new confirmation) or cancels.
struct BookingOnHoldHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ held: BookingOnHold, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try workflow.dropBooking(held.bookingID, of: event, in: db) }
    }
}

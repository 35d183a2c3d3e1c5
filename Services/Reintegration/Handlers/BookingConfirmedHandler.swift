import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Travel confirmed a booking: the case is expected, with its arrival, so that the partner
/// prepares reception before the family lands.
struct BookingConfirmedHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ confirmed: BookingConfirmed, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try workflow.expect(confirmed, of: event, in: db) }
    }
}

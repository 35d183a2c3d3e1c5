import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Health put a traveller on hold: the family's booking is held, until the hold's end at least.
struct HoldPlacedHandler: EventHandler {
    let workflow: TravelWorkflow

    func handle(_ hold: HoldPlaced, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try workflow.holdForHealth(hold.travellerID, clearance: .onHold, reason: .healthHold, until: hold.holdUntil, cause: event, in: db)
    }
}

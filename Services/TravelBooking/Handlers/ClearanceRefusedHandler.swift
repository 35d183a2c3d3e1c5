import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Health did not clear a traveller: the family's booking is held.
struct ClearanceRefusedHandler: EventHandler {
    let workflow: TravelWorkflow

    func handle(_ refused: ClearanceRefused, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try workflow.holdForHealth(refused.travellerID, clearance: .notCleared, reason: .travellerNotCleared, until: nil, cause: event, in: db)
    }
}

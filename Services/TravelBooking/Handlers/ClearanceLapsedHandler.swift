import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A traveller's clearance ran out: the family's booking is held for a re-screen.
struct ClearanceLapsedHandler: EventHandler {
    let workflow: TravelWorkflow

    func handle(_ lapsed: ClearanceLapsed, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try workflow.holdForHealth(lapsed.travellerID, clearance: .lapsed, reason: .clearanceLapsed, until: nil, cause: event, in: db)
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A traveller's pre-embarkation check for a booking: departure needs it passed; a hold or
/// a refusal at the check holds the family's booking.
struct PreEmbarkationCheckDoneHandler: EventHandler {
    let workflow: TravelWorkflow

    func handle(_ check: PreEmbarkationCheckDone, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try TravelRepository.ensureTraveller(check.travellerID, of: event.caseID, in: db)
        try TravelRepository.recordCheck(check, in: db)
        if check.outcome == .onHold || check.outcome == .notCleared {
            try workflow.holdBookings(of: event, travellers: [check.travellerID], reason: .preEmbarkationCheckNotPassed, until: check.holdUntil, in: db)
        }
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Intake decided eligibility: whether the case may be booked, and by when it should leave.
struct EligibilityDecidedHandler: EventHandler {
    func handle(_ decided: EligibilityDecided, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try TravelRepository.setEligibility(event.caseID, eligible: decided.eligible, targetDepartureBy: decided.targetDepartureBy, at: event.time, in: db)
    }
}

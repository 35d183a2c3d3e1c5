import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Intake found the declaration, consent and eligibility complete: one condition of readiness.
struct ReadyForScreeningHandler: EventHandler {
    func handle(_ ready: ReadyForScreening, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try TravelRepository.markDeclared(event.caseID, at: event.time, in: db)
    }
}

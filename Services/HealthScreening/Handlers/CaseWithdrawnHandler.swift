import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The person withdrew: open screenings and due checks close.
struct CaseWithdrawnHandler: EventHandler {
    func handle(_ withdrawn: CaseWithdrawn, of event: ReceivedEvent, in db: Database) throws {
        try HealthRepository.closeCase(event.caseID, at: event.time, in: db)
    }
}

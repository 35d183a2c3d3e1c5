import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The case is no longer eligible: open screenings and due checks close.
struct EligibilityRevokedHandler: EventHandler {
    func handle(_ revoked: EligibilityRevoked, of event: ReceivedEvent, in db: Database) throws {
        try HealthRepository.closeCase(event.caseID, at: event.time, in: db)
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The case is no longer eligible: before opening, it never opens; after, no further
/// assistance is given.
struct EligibilityRevokedHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ revoked: EligibilityRevoked, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try ReintegrationRepository.cancel(event.caseID, at: event.time, in: db) }
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The case is no longer eligible: it is closed and its bookings not yet under way are cancelled.
struct EligibilityRevokedHandler: EventHandler {
    let workflow: TravelWorkflow

    func handle(_ revoked: EligibilityRevoked, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try workflow.closeCase(event, as: .revoked, reason: .eligibilityRevoked, in: db)
    }
}

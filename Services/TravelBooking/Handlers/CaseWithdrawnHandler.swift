import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The person withdrew: the case is closed and its bookings not yet under way are cancelled.
struct CaseWithdrawnHandler: EventHandler {
    let workflow: TravelWorkflow

    func handle(_ withdrawn: CaseWithdrawn, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try workflow.closeCase(event, as: .withdrawn, reason: .caseWithdrawn, in: db)
    }
}

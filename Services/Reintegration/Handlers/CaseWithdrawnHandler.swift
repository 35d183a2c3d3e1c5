import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The person withdrew: before opening, the case never opens; after, no further
/// assistance is given.
struct CaseWithdrawnHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ withdrawn: CaseWithdrawn, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try ReintegrationRepository.cancel(event.caseID, at: event.time, in: db) }
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Intake decided eligibility: the budget of the assistance granted, fixed once the case
/// opens (a later decision does not change it).
struct EligibilityDecidedHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ decided: EligibilityDecided, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try ReintegrationRepository.setDecision(decided, of: event.caseID, at: event.time, in: db) }
    }
}

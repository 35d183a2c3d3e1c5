import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Intake registered the case: its return country, unless the arrival named it first.
struct CaseRegisteredHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ registered: CaseRegistered, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try ReintegrationRepository.setRegisteredCountry(registered.returnCountry, of: event.caseID, in: db) }
    }
}

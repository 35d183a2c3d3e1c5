import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The person arrived: the case opens from here once its budget is known.
struct ArrivedHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ arrived: Arrived, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try ReintegrationRepository.setArrival(arrived, of: event.caseID, at: event.time, in: db) }
    }
}

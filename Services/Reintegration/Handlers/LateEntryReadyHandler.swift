import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A late entry: the family came back before it was registered, so it arrived on the day of
/// return and the case opens from there once its budget is known.
struct LateEntryReadyHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ ready: LateEntryReady, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) { try ReintegrationRepository.setLateEntry(ready, of: event.caseID, at: event.time, in: db) }
    }
}

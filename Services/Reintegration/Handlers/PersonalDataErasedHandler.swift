import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The case's personal data is erased everywhere: here, its documents and what describes the person and
/// what they received; the figures stay.
struct PersonalDataErasedHandler: EventHandler {
    func handle(_ erased: PersonalDataErased, of event: ReceivedEvent, in db: Database) throws {
        try ReintegrationRepository.addCase(event.caseID, at: event.time, in: db)
        try ReintegrationRepository.erase(event.caseID, at: event.time, in: db)
        try DocumentStore.erase(event.caseID, at: event.time, in: db)
        try IdempotentAnswer.forget(caseID: event.caseID.rawValue, in: db)
    }
}

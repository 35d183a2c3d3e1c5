import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The case's personal data is erased everywhere: here, its documents and its medical detail.
struct PersonalDataErasedHandler: EventHandler {
    func handle(_ erased: PersonalDataErased, of event: ReceivedEvent, in db: Database) throws {
        try HealthRepository.erase(event.caseID, at: event.time, in: db)
        try IdempotentAnswer.forget(caseID: event.caseID.rawValue, in: db)
    }
}

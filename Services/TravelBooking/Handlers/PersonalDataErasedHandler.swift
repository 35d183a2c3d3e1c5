import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The case's personal data is erased everywhere: here, its documents and requirements, items and free text.
struct PersonalDataErasedHandler: EventHandler {
    func handle(_ erased: PersonalDataErased, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try TravelRepository.erase(event.caseID, at: event.time, in: db)
        try DocumentStore.erase(event.caseID, at: event.time, in: db)
        try IdempotentAnswer.forget(caseID: event.caseID.rawValue, in: db)
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The registration: the case's return and its travellers in family order.
struct CaseRegisteredHandler: EventHandler {
    func handle(_ registered: CaseRegistered, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try TravelRepository.register(event.caseID, registered, at: event.time, in: db)
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A late entry: the family returned before it was registered, so the case is never booked.
struct LateEntryReadyHandler: EventHandler {
    func handle(_ ready: LateEntryReady, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try TravelRepository.markReturned(event.caseID, as: .lateEntry, at: event.time, in: db)
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Health cleared a traveller: valid in its window, with the travel requirements to book.
/// It may arrive before the registration names the traveller.
struct ClearanceIssuedHandler: EventHandler {
    func handle(_ issued: ClearanceIssued, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try TravelRepository.ensureTraveller(issued.travellerID, of: event.caseID, in: db)
        try TravelRepository.recordClearance(issued, in: db)
    }
}

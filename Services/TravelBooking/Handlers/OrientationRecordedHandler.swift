import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A traveller's pre-departure orientation is recorded: once recorded, it stays recorded,
/// whether intake says it is required before or after.
struct OrientationRecordedHandler: EventHandler {
    func handle(_ recorded: OrientationRecorded, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try TravelRepository.ensureTraveller(recorded.travellerID, of: event.caseID, in: db)
        try TravelRepository.recordOrientation(of: recorded.travellerID, in: db)
    }
}

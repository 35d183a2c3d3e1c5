import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The programme holds departure for these travellers' orientation: required, unless one
/// is already recorded (it stays recorded, in whatever order the two events come).
struct OrientationRequiredHandler: EventHandler {
    func handle(_ required: OrientationRequired, of event: ReceivedEvent, in db: Database) throws {
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        for traveller in required.travellerIDs {
            try TravelRepository.ensureTraveller(traveller, of: event.caseID, in: db)
            try TravelRepository.requireOrientation(of: traveller, in: db)
        }
    }
}

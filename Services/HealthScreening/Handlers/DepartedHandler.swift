import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The travellers left: their records are done, checks still due close.
struct DepartedHandler: EventHandler {
    func handle(_ departed: Departed, of event: ReceivedEvent, in db: Database) throws {
        for traveller in departed.travellerIDs {
            try HealthRepository.setStatus(.departed, of: traveller, at: event.time, in: db)
            try HealthRepository.closeDueChecks(of: traveller, in: db)
        }
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Travel holds a booking because a clearance lapsed: each lapsed traveller without an
/// open screening gets a re-screen, unless the person withdrew consent to processing (an
/// officer opens it once given again). Holds for other reasons ask nothing of health.
struct BookingOnHoldHandler: EventHandler {
    let workflow: HealthWorkflow

    func handle(_ hold: BookingOnHold, of event: ReceivedEvent, in db: Database) throws {
        guard hold.reason == .clearanceLapsed, try !ConsentStore.isWithdrawn(.processing, of: event.caseID, in: db) else { return }
        for traveller in hold.travellerIDs where try HealthRepository.status(of: traveller, in: db) == .active {
            guard try !HealthRepository.hasOpenScreening(traveller, in: db) else { continue }
            try workflow.openScreening(traveller, age: try HealthRepository.age(of: traveller, in: db), kind: .rescreen, at: event.time, in: db)
            try Outbox.append(event.causing(ScreeningOpened(travellerID: traveller, kind: .rescreen), time: event.time), in: db)
        }
    }
}

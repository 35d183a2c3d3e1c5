import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Intake found the case ready: each new traveller gets a screening of the tests their
/// age requires. The stage's hot path: every case passes here.
struct ReadyForScreeningHandler: EventHandler {
    let workflow: HealthWorkflow

    func handle(_ ready: ReadyForScreening, of event: ReceivedEvent, in db: Database) throws {
        for traveller in ready.travellers where try HealthRepository.addTraveller(traveller, of: event.caseID, at: event.time, in: db) {
            try workflow.openScreening(traveller.travellerID, age: traveller.ageYears, kind: .initial, at: event.time, in: db)
            try Outbox.append(event.causing(ScreeningOpened(travellerID: traveller.travellerID, kind: .initial), time: event.time), in: db)
        }
    }
}

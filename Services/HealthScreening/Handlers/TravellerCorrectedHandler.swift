import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Intake corrected a traveller: health keeps their corrected age and sex, and a screening
/// still open asks for the tests of the corrected age. A correction of what travel holds
/// only (a role, a document) carries neither and changes nothing here.
struct TravellerCorrectedHandler: EventHandler {
    let workflow: HealthWorkflow

    func handle(_ corrected: TravellerCorrected, of event: ReceivedEvent, in db: Database) throws {
        guard corrected.ageYears != nil || corrected.sex != nil else { return }
        try workflow.correct(corrected.travellerID, ageYears: corrected.ageYears, sex: corrected.sex, at: event.time, in: db)
    }
}

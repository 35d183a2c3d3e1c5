import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Intake corrected a traveller's family role or travel-document status: travel keeps the
/// corrected ones (``TravelWorkflow/correct(_:cause:in:)``). A correction of what health
/// holds only (an age, a sex) carries neither and changes nothing here.
struct TravellerCorrectedHandler: EventHandler {
    let workflow: TravelWorkflow

    func handle(_ corrected: TravellerCorrected, of event: ReceivedEvent, in db: Database) throws {
        guard corrected.familyRole != nil || corrected.travelDocumentStatus != nil else { return }
        try TravelRepository.ensureCase(event.caseID, at: event.time, in: db)
        try workflow.correct(corrected, cause: event, in: db)
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The person gave or withdrew a consent: kept per case and purpose, known case or not.
/// Consent to processing withdrawn holds the case: no screening, exam, fitness outcome or
/// pre-embarkation check is accepted (``HealthWorkflow``), none opens on its own, and
/// nothing is erased (erasure is `PersonalDataErased`'s); given again, the hold lifts.
/// Sharing consents ask nothing of health screening: nothing it holds is shared.
struct ConsentChangedHandler: EventHandler {
    func handle(_ changed: ConsentChanged, of event: ReceivedEvent, in db: Database) throws {
        try ConsentStore.record(changed.purpose, granted: changed.granted, of: event.caseID, at: event.time, in: db)
    }
}

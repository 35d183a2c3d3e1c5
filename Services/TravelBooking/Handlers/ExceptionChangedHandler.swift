import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A supervisor's exception to consent, kept beside the consents (``ConsentStore``): what
/// the airline receives accepts it in place of consent to processing (``SharingGate``),
/// e.g. oxygen on the manifest on the person's vital interest. It lifts no hold: the
/// programme's own processing waits for the consent.
struct ExceptionChangedHandler: EventHandler {
    func handle(_ changed: ExceptionChanged, of event: ReceivedEvent, in db: Database) throws {
        try ConsentStore.record(changed, of: event.caseID, at: event.time, in: db)
    }
}

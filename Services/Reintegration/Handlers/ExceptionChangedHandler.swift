import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A supervisor's exception to consent, kept beside the consents (``ConsentStore``): the
/// flows to the partner accept it in place of consent to share (``SharingGate``) while in
/// force. Withdrawn, with no consent either, the referrals under way are cancelled.
struct ExceptionChangedHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ changed: ExceptionChanged, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) {
            try ConsentStore.record(changed, of: event.caseID, at: event.time, in: db)
            try workflow.cancelReferralsUnlessShared(event, in: db)
        }
    }
}

import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// A consent given or withdrawn, kept per case and purpose (``ConsentStore``): every flow
/// to the partner checks consent to share with it (``SharingGate``). Withdrawn, with no
/// exception in force, the referrals under way are cancelled.
struct ConsentChangedHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ changed: ConsentChanged, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) {
            try ConsentStore.record(changed.purpose, granted: changed.granted, of: event.caseID, at: event.time, in: db)
            try workflow.cancelReferralsUnlessShared(event, in: db)
        }
    }
}

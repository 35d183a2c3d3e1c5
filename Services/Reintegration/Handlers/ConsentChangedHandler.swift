import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The person's consent to sharing with the reintegration partner, which referrals need
/// (withdrawn, the referrals under way are cancelled); other consents ask nothing of
/// reintegration.
struct ConsentChangedHandler: EventHandler {
    let workflow: ReintegrationWorkflow

    func handle(_ changed: ConsentChanged, of event: ReceivedEvent, in db: Database) throws {
        try workflow.react(to: event, in: db) {
            if changed.purpose == .sharingWithReintegrationPartner {
                try ReintegrationRepository.setPartnerConsent(changed.granted, of: event.caseID, in: db)
                if !changed.granted { try ReintegrationRepository.cancelReferrals(of: event.caseID, at: event.time, in: db) }
            }
        }
    }
}

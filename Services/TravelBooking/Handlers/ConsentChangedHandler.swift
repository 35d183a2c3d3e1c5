import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// The person gave or withdrew a consent: kept per case and purpose, known case or not.
/// Consent to processing withdrawn holds the case's bookings not yet under way
/// (`consent-withdrawn`) and refuses new proposals, confirmations and departures
/// (``TravelWorkflow``); given again, the case can be rebooked. Nothing is erased (erasure
/// is `PersonalDataErased`'s). Processing also gates what the airline receives
/// (``SharingGate``); sharing with the receiving authorities is kept too, for a flow to
/// them: travel booking shares nothing with them today (the manifest is the airline's).
struct ConsentChangedHandler: EventHandler {
    let workflow: TravelWorkflow

    func handle(_ changed: ConsentChanged, of event: ReceivedEvent, in db: Database) throws {
        try ConsentStore.record(changed.purpose, granted: changed.granted, of: event.caseID, at: event.time, in: db)
        if changed.purpose == .processing, !changed.granted, try ConsentStore.isWithdrawn(.processing, of: event.caseID, in: db) {
            try workflow.holdForConsent(of: event, in: db)
        }
    }
}

/// Every event type Homeward publishes. The contract test checks each one's examples
/// against its schema in `Shared/Model/Catalogue/schemas/`.
public enum EventCatalogue {
    public static let all: [any EventPayload.Type] = [
        // intake
        CaseRegistered.self,
        EligibilityDecided.self,
        ReadyForScreening.self,
        LateEntryReady.self,
        OrientationRecorded.self,
        OrientationRequired.self,
        TravellerCorrected.self,
        CaseWithdrawn.self,
        EligibilityRevoked.self,
        ConsentChanged.self,
        ExceptionChanged.self,
        PersonalDataErased.self,
        // health-screening
        ScreeningOpened.self,
        ClearanceIssued.self,
        ClearanceLapsed.self,
        HoldPlaced.self,
        ClearanceRefused.self,
        PreEmbarkationCheckDone.self,
        HealthErasureApplied.self,
        // travel-booking
        BookingProposed.self,
        BookingConfirmed.self,
        BookingOnHold.self,
        BookingCancelled.self,
        Departed.self,
        Arrived.self,
        TravelErasureApplied.self,
        // reintegration
        ReintegrationOpened.self,
        PlanApproved.self,
        AssistanceDisbursed.self,
        MonitoringRecorded.self,
        ReintegrationClosed.self,
        ReintegrationErasureApplied.self,
    ]

    /// The types one service publishes.
    public static func published(by service: ServiceName) -> [any EventPayload.Type] {
        all.filter { $0.producer == service }
    }
}

/// A consent was given or withdrawn for one purpose. Published for every consent
/// recorded, those taken at registration included.
///
/// Consumers, each keeping the latest consent per case and purpose, the case known yet or
/// not: reintegration (nothing goes to a partner without `sharingWithReintegrationPartner`
/// or an exception, ``ExceptionChanged``; withdrawn, referrals under way are cancelled); health screening (`processing`
/// withdrawn: the case is held, no screening, exam, fitness outcome or pre-embarkation
/// check accepted, nothing erased; given again, the hold lifts); travel booking
/// (`processing` withdrawn: bookings not yet departed are held, `consent-withdrawn`, and no
/// proposal, confirmation or departure accepted; given again, the family is rebooked).
/// `processing` also gates the manifest's services for the airline.
/// `sharingWithReceivingAuthorities`: travel booking keeps it, and shares nothing with the
/// receiving authorities (its manifest is the airline's). Erasure is `PersonalDataErased`'s.
public struct ConsentChanged: EventPayload {
    public static let eventType = EventType("intake.consent-changed", major: 1)

    public var purpose: ConsentPurpose
    /// True when the consent is now in force, false when it was withdrawn or refused.
    public var granted: Bool

    public init(purpose: ConsentPurpose, granted: Bool) {
        self.purpose = purpose
        self.granted = granted
    }
}

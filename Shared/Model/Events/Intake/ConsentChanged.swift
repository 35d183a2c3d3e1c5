/// A consent was given or withdrawn for one purpose. Published for every consent
/// recorded, those taken at registration included.
///
/// Consumers: reintegration (no referral to a partner without
/// `sharingWithReintegrationPartner`), travel booking (nothing shared with the receiving
/// authorities without `sharingWithReceivingAuthorities`), health screening (no
/// screening without `processing`).
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

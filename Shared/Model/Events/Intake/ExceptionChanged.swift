public import Foundation

/// A supervisor recorded (`inForce`) or withdrew an exception to consent for one purpose
/// (IOM principle 13): data the purpose covers may go to its recipient without the
/// person's consent, on `legalBasis`, until `validUntil` when it has one. One exception
/// per case and purpose: a new one replaces it.
///
/// Carries no reason (it stays in intake, sealed) and no actor. Consumers keep it beside
/// the consents and accept it in place of consent at every outward gate: reintegration
/// (`sharingWithReintegrationPartner`: referrals, plans and disbursements naming a
/// partner, the reception handed over; withdrawn without consent, referrals under way are
/// cancelled), travel booking (`processing`: what the airline receives;
/// `sharingWithReceivingAuthorities`).
public struct ExceptionChanged: EventPayload {
    public static let eventType = EventType("intake.exception-changed", major: 1)

    public var purpose: ConsentPurpose
    public var legalBasis: ExceptionBasis
    /// True when recorded, false when withdrawn.
    public var inForce: Bool
    /// The end of its validity; none: until withdrawn.
    public var validUntil: Date?

    public init(purpose: ConsentPurpose, legalBasis: ExceptionBasis, inForce: Bool, validUntil: Date? = nil) {
        self.purpose = purpose
        self.legalBasis = legalBasis
        self.inForce = inForce
        self.validUntil = validUntil
    }
}

/// A third party Homeward's data goes to, and the consent purpose every flow to it needs
/// (IOM data protection principle 5: transfer only for the purpose consented to).
public enum Recipient: String, Sendable, CaseIterable {
    case reintegrationPartner = "reintegration-partner"
    case airline
    case receivingAuthorities = "receiving-authorities"

    public var purpose: ConsentPurpose {
        switch self {
        case .reintegrationPartner: .sharingWithReintegrationPartner
        // The airline carries the person as the programme arranged: processing covers it,
        // health-derived service requests (oxygen, stretcher, escorts) included.
        case .airline: .processing
        case .receivingAuthorities: .sharingWithReceivingAuthorities
        }
    }
}

/// Every flow that leaves Homeward for a third party, each gated on its recipient's
/// purpose: refused (409 `consent-withdrawn` or `consent-missing`) without the consent or
/// a recorded exception.
public enum OutwardFlow: String, Sendable, CaseIterable {
    /// Reintegration refers the case to a partner.
    case referral
    /// A plan's items name the partners that deliver them.
    case planItems = "plan-items"
    /// Assistance delivered through a partner.
    case disbursement
    /// The handover to the partner: the arrival to meet, the reception, the referrals.
    case receptionHandover = "reception-handover"
    /// The flight manifest's line of a passenger, with the services health asked for.
    case manifest

    public var recipient: Recipient {
        switch self {
        case .referral, .planItems, .disbursement, .receptionHandover: .reintegrationPartner
        case .manifest: .airline
        }
    }

    /// The flow as a refusal names it.
    public var description: String {
        switch self {
        case .referral: "a referral to the reintegration partner"
        case .planItems: "a plan naming the reintegration partner"
        case .disbursement: "a disbursement through the reintegration partner"
        case .receptionHandover: "the handover to the reintegration partner"
        case .manifest: "the services requested of the airline on the flight manifest"
        }
    }
}

/// What a consent is for; each purpose is given or withdrawn on its own.
public enum ConsentPurpose: String, Hashable, Codable, Sendable, ClosedSet {
    /// Processing of the person's data by the programme at all.
    case processing
    /// Sharing with the local reintegration partner (a referral needs it).
    case sharingWithReintegrationPartner = "sharing-with-reintegration-partner"
    /// Sharing with the authorities of the country of return.
    case sharingWithReceivingAuthorities = "sharing-with-receiving-authorities"
}

/// The legal basis of an exception to consent (IOM data protection principle 13): the
/// cases the principles allow data to go to a third party without the person's consent.
public enum ExceptionBasis: String, Hashable, Codable, Sendable, ClosedSet {
    /// The person's life, health or safety depends on it (e.g. the airline must know of
    /// oxygen or a stretcher to fly them safely), and consent cannot be asked or given.
    case vitalInterest = "vital-interest"
    /// The best interests of a child or of a person who cannot consent.
    case bestInterests = "best-interests"
    /// A law the office is bound by requires the transfer.
    case legalObligation = "legal-obligation"
}

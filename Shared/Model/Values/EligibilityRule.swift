/// A kind of programme eligibility rule. Programmes configure which rules apply and with
/// what parameters (window dates, area); the kinds themselves are code.
public enum EligibilityRule: String, Hashable, Codable, Sendable, ClosedSet {
    /// The referral falls inside the programme's window.
    case programmeWindow = "programme-window"
    /// The person resides in the programme's area (pilot: Greater Toronto Area).
    case residenceArea = "residence-area"
    /// A final negative decision on the claim exists.
    case finalNegativeDecision = "final-negative-decision"
    /// The claim was neither withdrawn nor abandoned.
    case claimNotWithdrawnOrAbandoned = "claim-not-withdrawn-or-abandoned"
    /// The programme covers returns to the country of return.
    case returnCountryCovered = "return-country-covered"
    /// One of the programme's assistance tiers applies to the case.
    case assistanceTier = "assistance-tier"
}

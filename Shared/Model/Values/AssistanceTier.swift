/// The reintegration assistance tier a programme grants. Amounts are programme
/// configuration and travel as `Money`; the tier only labels them.
public enum AssistanceTier: String, Hashable, Codable, Sendable, ClosedSet {
    /// Applied at the earliest stage (pilot: before any leave application; up to CAD 2,000).
    case full
    /// Applied at a later stage of the claim: a lower configured amount.
    case reduced
    /// Claimant from a designated country of origin (pilot: up to CAD 500).
    case designatedCountryOfOrigin = "designated-country-of-origin"
    /// Return travel only, no reintegration budget.
    case travelOnly = "travel-only"
}

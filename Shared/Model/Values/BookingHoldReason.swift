/// Why a booking was put on hold.
public enum BookingHoldReason: String, Hashable, Codable, Sendable, ClosedSet {
    /// A traveller's clearance lapsed before departure; a re-screen is needed.
    case clearanceLapsed = "clearance-lapsed"
    /// Health placed a traveller on hold.
    case healthHold = "health-hold"
    /// Health did not clear a traveller.
    case travellerNotCleared = "traveller-not-cleared"
    /// A traveller did not pass the pre-embarkation check.
    case preEmbarkationCheckNotPassed = "pre-embarkation-check-not-passed"
    /// A traveller did not show at departure; the family is rebooked together.
    case noShow = "no-show"
    /// A traveller's travel document is not, or no longer, valid.
    case travelDocumentInvalid = "travel-document-invalid"
    /// The carrier changed or cancelled a flight.
    case scheduleChange = "schedule-change"
}

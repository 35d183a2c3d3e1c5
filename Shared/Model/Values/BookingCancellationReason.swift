/// Why a booking was cancelled.
public enum BookingCancellationReason: String, Hashable, Codable, Sendable, ClosedSet {
    case caseWithdrawn = "case-withdrawn"
    case eligibilityRevoked = "eligibility-revoked"
    /// Replaced by a new booking, whose ``BookingProposed/rebookingOf`` names this one.
    case rebooked
    case noShow = "no-show"
    case travellerNotCleared = "traveller-not-cleared"
    /// Cancelled by a movement officer for an operational reason.
    case operational
}

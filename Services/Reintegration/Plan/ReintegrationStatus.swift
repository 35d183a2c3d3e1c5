/// Where a reintegration case stands. Intake's and travel's events create it `pending`;
/// a confirmed booking makes it `expected` until the family arrives; it opens once it has
/// arrived with an eligible decision and a budget.
///
/// `expected` is a status, not a flag beside `pending`: before arrival a case either awaits
/// a booking or expects one, never both, and the partner's work list filters on the status.
enum ReintegrationCaseStatus: String, Sendable {
    /// Waiting for the arrival, the eligibility decision or its budget.
    case pending
    /// A confirmed booking is on its way: the partner prepares reception.
    case expected
    /// Officers plan, disburse and monitor.
    case open
    /// Withdrawn or no longer eligible after opening: no further assistance.
    case revoked
    /// Closed by an officer with an outcome.
    case closed
}

/// A case's plan: submitted (again, while awaiting approval), then approved once and no
/// longer edited.
enum PlanStatus: String, Sendable {
    case awaitingApproval = "awaiting-approval"
    case approved
}

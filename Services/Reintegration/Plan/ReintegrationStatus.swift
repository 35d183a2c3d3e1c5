/// Where a reintegration case stands. Intake's and travel's events create it `pending`;
/// it opens once it has arrived with an eligible decision and a budget.
enum ReintegrationCaseStatus: String, Sendable {
    /// Waiting for the arrival, the eligibility decision or its budget.
    case pending
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

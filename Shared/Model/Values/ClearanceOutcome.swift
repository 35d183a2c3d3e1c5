/// The outcome a clearance carries: the two ``FitnessOutcome``s that let a traveller
/// travel. A hold and a refusal are events of their own.
public enum ClearanceOutcome: String, Hashable, Codable, Sendable, ClosedSet {
    case cleared
    case clearedWithRequirements = "cleared-with-requirements"
}

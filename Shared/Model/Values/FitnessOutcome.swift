/// The outcome of a fitness-to-travel decision (a screening or a pre-embarkation check).
public enum FitnessOutcome: String, Hashable, Codable, Sendable, ClosedSet {
    case cleared
    case clearedWithRequirements = "cleared-with-requirements"
    case onHold = "on-hold"
    case notCleared = "not-cleared"

    /// Whether the traveller may travel (possibly with requirements).
    public var isCleared: Bool { self == .cleared || self == .clearedWithRequirements }
}

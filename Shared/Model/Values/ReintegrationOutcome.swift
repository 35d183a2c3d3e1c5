/// How a reintegration case ended.
public enum ReintegrationOutcome: String, Hashable, Codable, Sendable, ClosedSet {
    /// The plan was delivered in full.
    case completed
    /// Part of the plan was delivered.
    case partiallyCompleted = "partially-completed"
    /// The person stopped taking part.
    case discontinued
    /// The person could no longer be reached.
    case lostContact = "lost-contact"
}

public import HomewardModel

/// Where a case stands overall.
public enum CaseStatus: String, Codable, Sendable, ClosedSet {
    /// Registered; eligibility pending or granted, moving through the stages.
    case active
    case notEligible = "not-eligible"
    case withdrawn
    case revoked
    case closed
}

/// Which service is working the case now, as intake learns it from events.
/// Declared in the order a case goes through them; ``Comparable`` by that order.
public enum CaseStage: String, Codable, Sendable, ClosedSet, Comparable {
    case intake
    case screening
    case travel
    case departed
    case reintegration
    case closed

    public static func < (a: CaseStage, b: CaseStage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Report sectors (R4V 5W): what a person received.
public enum Sector: String, Codable, Sendable, ClosedSet {
    case health = "Health"
    case humanitarianTransportation = "Humanitarian Transportation"
    case integration = "Integration"
}

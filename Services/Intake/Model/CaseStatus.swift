/// Where a case stands overall.
enum CaseStatus: String, Codable, Sendable, CaseIterable {
    /// Registered; eligibility pending or granted, moving through the stages.
    case active
    case notEligible = "not-eligible"
    case withdrawn
    case revoked
    case closed
}

/// Which service is working the case now, as intake learns it from events.
enum CaseStage: String, Codable, Sendable, CaseIterable {
    case intake
    case screening
    case travel
    case departed
    case reintegration
    case closed
}

/// Report sectors (R4V 5W): what a person received.
enum Sector: String, Codable, Sendable, CaseIterable {
    case health = "Health"
    case humanitarianTransportation = "Humanitarian Transportation"
    case integration = "Integration"
}

/// Reintegration Sustainability Survey scores from one monitoring visit, each from 0 to 1.
/// The weights that make them are configuration; the answers never leave reintegration.
public struct SustainabilityScores: Hashable, Codable, Sendable {
    public var economic: Double
    public var social: Double
    public var psychosocial: Double
    public var composite: Double

    public init(economic: Double, social: Double, psychosocial: Double, composite: Double) {
        self.economic = economic
        self.social = social
        self.psychosocial = psychosocial
        self.composite = composite
    }
}

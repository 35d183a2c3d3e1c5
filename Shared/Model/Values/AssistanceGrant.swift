/// The reintegration assistance an eligible case is granted: its tier, and the in-kind
/// budget reintegration opens the case with.
public struct AssistanceGrant: Hashable, Codable, Sendable {
    public var tier: AssistanceTier
    /// The most that may be disbursed for the case (zero for `travelOnly`).
    public var budget: Money

    public init(tier: AssistanceTier, budget: Money) {
        self.tier = tier
        self.budget = budget
    }
}

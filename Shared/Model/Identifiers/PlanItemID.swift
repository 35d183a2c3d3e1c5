/// The id of one item of a reintegration plan (what is funded, in kind).
public struct PlanItemID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

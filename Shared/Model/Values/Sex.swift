/// A traveller's sex as recorded at intake; health uses it for screening, reports
/// disaggregate by it.
public enum Sex: String, Hashable, Codable, Sendable, ClosedSet {
    case female
    case male
    case other
}

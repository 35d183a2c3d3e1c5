/// The three dimensions of reintegration (IOM).
public enum ReintegrationDimension: String, Hashable, Codable, Sendable, ClosedSet {
    case economic
    case social
    case psychosocial
}

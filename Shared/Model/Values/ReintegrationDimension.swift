/// The three dimensions of reintegration (IOM).
public enum ReintegrationDimension: String, Hashable, Codable, Sendable, CaseIterable {
    case economic
    case social
    case psychosocial
}

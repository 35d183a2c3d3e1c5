public import HomewardModel

/// The kind of escort a traveller travels with: medical (health asked for one) or
/// operational (a non-medical companion). Recorded because manifests and costs differ.
public enum EscortKind: String, Codable, Sendable, ClosedSet {
    case medical
    case operational
}

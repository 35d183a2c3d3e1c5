/// Why a case's personal data was erased.
public enum ErasureReason: String, Codable, Sendable, ClosedSet {
    /// An authorised member of staff recorded an erasure request.
    case request
    /// The retention period after the case ended has passed.
    case retention
}

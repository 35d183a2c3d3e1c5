/// Whether a traveller holds a document they can travel on; confirming a booking needs
/// `valid` for every traveller.
public enum TravelDocumentStatus: String, Hashable, Codable, Sendable, ClosedSet {
    case valid
    case expired
    case missing
    /// Requested from the issuing authority, not yet received.
    case appliedFor = "applied-for"
}

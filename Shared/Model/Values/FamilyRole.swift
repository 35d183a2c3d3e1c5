/// A traveller's place in the family that travels as one unit.
public enum FamilyRole: String, Hashable, Codable, Sendable, ClosedSet {
    /// The principal applicant.
    case principal
    case spouseOrPartner = "spouse-or-partner"
    case child
    case parent
    case sibling
    case otherRelative = "other-relative"
}

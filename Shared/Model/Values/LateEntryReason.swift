/// Why a person who has already returned is registered for reintegration alone (a late
/// entry): how they came back without this programme's travel.
public enum LateEntryReason: String, Codable, Sendable, ClosedSet {
    /// They went back on their own.
    case spontaneousReturn = "spontaneous-return"
    /// Another programme (another state's or organisation's) returned them.
    case otherProgramme = "other-programme"
}

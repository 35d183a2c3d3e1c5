/// What a traveller needs on the journey, as health decides it (IOM's "travel
/// requirements"). Travel books each as an item; it never learns why.
public enum TravelRequirement: String, Hashable, Codable, Sendable, ClosedSet {
    case wheelchair
    case stretcher
    case oxygen
    case medicalEscort = "medical-escort"
    case nonMedicalEscort = "non-medical-escort"
}

/// What a member of staff may do. A token carries one or more; each endpoint states
/// the roles that reach it (`deploy/README.md`, "Access control").
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    /// Registers cases, family, consent and the voluntariness declaration (intake).
    case caseworker
    /// Alone reads and writes medical records (health screening).
    case healthOfficer = "health-officer"
    /// Books and follows the journey (travel booking).
    case movementOfficer = "movement-officer"
    /// Plans, disburses and monitors reintegration.
    case reintegrationOfficer = "reintegration-officer"
    /// Approves: reintegration plans, erasure of a case.
    case supervisor
    /// Reads the audit trails.
    case auditor
    /// Runs the system: dead letters, replay, backup, key rotation.
    case `operator`
    /// Answers a person's request for what Homeward holds about them: alone reads a case's
    /// subject export, every service's data on the case (medical detail included).
    case dataProtectionOfficer = "data-protection-officer"

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}

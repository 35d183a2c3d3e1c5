import HomewardModel
import HomewardRuntime

/// Health screening's documents: a medical certificate per traveller. Health officers
/// alone upload and read them, as they alone read medical records; no event names them.
enum HealthDocuments {
    static func rules(limit: Int = DocumentContent.defaultLimit) -> DocumentRules {
        DocumentRules(kinds: [.medicalCertificate: .traveller], uploaders: [.healthOfficer], readers: [.healthOfficer], limit: limit,
                      standing: { caseID, db in try HealthRepository.documentStanding(caseID, in: db) },
                      hasTraveller: { caseID, traveller, db in try HealthRepository.hasTraveller(traveller, in: caseID, db: db) })
    }
}

import HomewardModel
import HomewardRuntime

/// Travel booking's documents: each traveller's travel document and ticket. Movement
/// officers upload them; movement officers and supervisors read them (as they read the case).
enum TravelDocuments {
    static func rules(limit: Int = DocumentContent.defaultLimit) -> DocumentRules {
        DocumentRules(kinds: [.travelDocument: .traveller, .ticket: .traveller], uploaders: [.movementOfficer],
                      readers: [.movementOfficer, .supervisor], limit: limit,
                      standing: { caseID, db in try TravelRepository.documentStanding(caseID, in: db) },
                      hasTraveller: { caseID, traveller, db in try TravelRepository.hasTraveller(traveller, in: caseID, db: db) })
    }
}

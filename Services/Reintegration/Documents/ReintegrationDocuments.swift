import HomewardModel
import HomewardRuntime

/// Reintegration's documents: a proof of delivery per disbursement (a receipt, a signed
/// acknowledgement, a photograph of what was delivered). Reintegration officers upload
/// them; reintegration officers and supervisors read them (as they read the case).
enum ReintegrationDocuments {
    static func rules(limit: Int = DocumentContent.defaultLimit) -> DocumentRules {
        DocumentRules(kinds: [.proofOfDelivery: .disbursement], uploaders: [.reintegrationOfficer],
                      readers: [.reintegrationOfficer, .supervisor], limit: limit,
                      standing: { caseID, db in try ReintegrationRepository.documentStanding(caseID, in: db) },
                      hasDisbursement: { caseID, disbursement, db in try ReintegrationRepository.hasDisbursement(disbursement, in: caseID, db: db) })
    }
}

import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import HomewardStore

/// Intake's documents: each traveller's identity and travel documents, the case's signed
/// consent and signed declaration. Caseworkers upload them; caseworkers and supervisors
/// read them (as they read the case).
enum IntakeDocuments {
    static let kinds: [DocumentKind: DocumentSubject] = [
        .identityDocument: .traveller, .travelDocument: .traveller, .signedConsent: .wholeCase, .signedDeclaration: .wholeCase,
    ]

    static func rules(limit: Int = DocumentContent.defaultLimit) -> DocumentRules {
        DocumentRules(kinds: kinds, uploaders: [.caseworker], readers: [.caseworker, .supervisor], limit: limit,
                      standing: { caseID, db in try CaseRepository.documentStanding(caseID, in: db) },
                      hasTraveller: { caseID, traveller, db in try CaseRepository.hasTraveller(traveller, in: caseID, db: db) })
    }
}

/// A step of a case that a programme may require documents before (`requiredDocuments`).
enum DocumentGate: String, CaseIterable, Sendable {
    /// Before the case is ready for screening: checked when the declaration is recorded,
    /// the last step before it.
    case screening
}

extension IntakeWorkflow {
    /// Refuses (``DocumentRefusal/documentsMissing(gate:missing:)``, listing the kinds) when
    /// the case's programme requires documents at `gate` that the case has none of.
    func requireDocuments(before gate: DocumentGate, programmeID: String, of caseID: CaseID, in db: Database) throws {
        let required = programmes.programme(programmeID)?.requiredDocuments?[gate.rawValue] ?? []
        let missing = try CaseDocuments.missing(required, of: caseID, in: db)
        guard missing.isEmpty else { throw DocumentRefusal.documentsMissing(gate: gate.rawValue, missing: missing) }
    }
}

import GRDB
import HomewardModel
import HomewardRuntime

/// What reintegration's documents need to know of a case. (An erased case is known by
/// its documents' erasure, ``DocumentStore/isErased(_:in:)``.)
extension ReintegrationRepository {
    static func documentStanding(_ caseID: CaseID, in db: Database) throws -> CaseStanding {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM reint_case WHERE case_id = ?)"), arguments: [caseID.rawValue]) == true
            ? .known : .unknown
    }

    static func hasDisbursement(_ disbursementID: DisbursementID, in caseID: CaseID, db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM reint_disbursement WHERE disbursement_id = ? AND case_id = ?)"),
                          arguments: [disbursementID.rawValue, caseID.rawValue]) ?? false
    }
}

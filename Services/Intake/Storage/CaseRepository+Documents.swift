import GRDB
import HomewardModel
import HomewardRuntime

/// What intake's documents need to know of a case.
extension CaseRepository {
    static func documentStanding(_ caseID: CaseID, in db: Database) throws -> CaseStanding {
        guard let erased = try Row.fetchOne(db.cachedStatement(sql: "SELECT erased_at IS NOT NULL FROM intake_case WHERE case_id = ?"),
                                            arguments: [caseID.rawValue]) else { return .unknown }
        return (erased[0] as Bool) ? .erased : .known
    }

    static func hasTraveller(_ travellerID: TravellerID, in caseID: CaseID, db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM intake_traveller WHERE traveller_id = ? AND case_id = ?)"),
                          arguments: [travellerID.rawValue, caseID.rawValue]) ?? false
    }
}

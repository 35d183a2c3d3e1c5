import GRDB
import HomewardModel
import HomewardRuntime

/// What travel's documents need to know of a case.
extension TravelRepository {
    static func documentStanding(_ caseID: CaseID, in db: Database) throws -> CaseStanding {
        guard let status = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM travel_case WHERE case_id = ?"),
                                               arguments: [caseID.rawValue]) else { return .unknown }
        return status == "erased" ? .erased : .known
    }

    static func hasTraveller(_ travellerID: TravellerID, in caseID: CaseID, db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM travel_traveller WHERE traveller_id = ? AND case_id = ?)"),
                          arguments: [travellerID.rawValue, caseID.rawValue]) ?? false
    }
}

import GRDB
import HomewardModel
import HomewardRuntime

/// What health's documents need to know of a case: its travellers.
extension HealthRepository {
    /// Known once intake's ready-for-screening put its travellers here; erased with them.
    static func documentStanding(_ caseID: CaseID, in db: Database) throws -> CaseStanding {
        guard let erased = try Bool.fetchOne(db.cachedStatement(sql: "SELECT MIN(status = 'erased') FROM health_traveller WHERE case_id = ?"),
                                             arguments: [caseID.rawValue]) else { return .unknown }
        return erased ? .erased : .known
    }

    static func hasTraveller(_ travellerID: TravellerID, in caseID: CaseID, db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM health_traveller WHERE traveller_id = ? AND case_id = ?)"),
                          arguments: [travellerID.rawValue, caseID.rawValue]) ?? false
    }
}

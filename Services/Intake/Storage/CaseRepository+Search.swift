import Foundation
import GRDB
import HomewardModel
import IntakeAPI

extension CaseRepository {
    /// The case list, newest registration first, on indexed columns; each partition store
    /// gives its first `limit + 1` matches after the cursor and ``CaseList/merge(_:filter:)``
    /// takes the page. A search by name or date of birth compares keyed hashes
    /// (`hw_search_all`: under every configured key, so rows hashed before a rotation match
    /// too): the names themselves are sealed.
    static func search(_ filter: CaseFilter, in db: Database) throws -> CaseList {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let status = filter.status { clauses.append("status = ?"); arguments += [status.rawValue] }
        if let stage = filter.stage { clauses.append("stage = ?"); arguments += [stage.rawValue] }
        if let country = filter.returnCountry { clauses.append("return_country = ?"); arguments += [country] }
        if let programme = filter.programmeID { clauses.append("programme_id = ?"); arguments += [programme] }
        if let deadline = filter.deadlineBefore { clauses.append("target_departure_by < ?"); arguments += [deadline.timeIntervalSince1970] }
        if filter.erasureUnconfirmed {
            clauses.append("""
                erased_at IS NOT NULL AND case_id NOT IN (SELECT case_id FROM intake_timeline WHERE step = ? GROUP BY case_id HAVING COUNT(DISTINCT actor) >= ?)
                """)
            arguments += [ErasureConfirmation.step, ErasureConfirmation.services.count]
        }
        var person: [String] = []
        for (column, value) in [("family_name_hash", filter.familyName), ("given_name_hash", filter.givenName),
                                ("date_of_birth_hash", filter.dateOfBirth?.description)] {
            guard let value else { continue }
            person.append("t.\(column) IN (SELECT value FROM json_each(hw_search_all(?)))")
            arguments += [value]
        }
        if !person.isEmpty {
            clauses.append("case_id IN (SELECT t.case_id FROM intake_traveller t WHERE \(person.joined(separator: " AND ")))")
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM intake_case \(whereClause)", arguments: arguments) ?? 0
        if let after = filter.page.after, let negated = after.number(0), let caseID = after.text(1) {
            clauses.append("(registered_at < ? OR (registered_at = ? AND case_id > ?))")
            arguments += [-negated, -negated, caseID]
        }
        let pageClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.case_id, programme_id, status, stage, return_country, registered_at, target_departure_by,
                   (SELECT COUNT(*) FROM intake_traveller t WHERE t.case_id = c.case_id)
            FROM intake_case c \(pageClause) ORDER BY registered_at DESC, case_id LIMIT ?
            """, arguments: arguments + [filter.page.limit + 1])
        return CaseList(total: total, cases: rows.map { row in
            CaseSummary(
                caseID: CaseID(row[0] as String), programmeID: row[1], status: CaseStatus(rawValue: row[2]) ?? .active,
                stage: CaseStage(rawValue: row[3]) ?? .intake, returnCountry: row[4], travellers: row[7],
                registeredAt: Date(timeIntervalSince1970: row[5]), targetDepartureBy: (row[6] as Double?).map(Date.init(timeIntervalSince1970:)))
        })
    }

    /// Every activity with what the 5W report counts of its person: no name, no date of birth.
    static func activities(in db: Database) throws -> [FiveWReport.Activity] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.traveller_id, a.sector, a.at, t.sex, a.age_years, c.return_country, c.return_city
            FROM intake_activity a JOIN intake_traveller t ON t.traveller_id = a.traveller_id
            JOIN intake_case c ON c.case_id = a.case_id
            """)).compactMap { row -> FiveWReport.Activity? in
            guard let sector = Sector(rawValue: row[1]), let sex = Sex(rawValue: row[3]) else { return nil }
            return FiveWReport.Activity(personID: row[0], sector: sector, at: Date(timeIntervalSince1970: row[2]), sex: sex,
                                        ageYears: row[4], returnCountry: row[5], returnCity: row[6])
        }
    }
}

import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import Hummingbird

/// Filters of the case list, from the query string; unknown values are refused by name.
struct CaseFilter {
    var status: CaseStatus?
    var stage: CaseStage?
    var returnCountry: String?
    var programmeID: String?
    /// Cases whose target departure is before this instant.
    var deadlineBefore: Date?
    /// Exact match on a traveller of the case (keyed hashes; case, accents and spacing
    /// ignored); together they must hold for the same traveller.
    var familyName: String?
    var givenName: String?
    var dateOfBirth: LocalDate?
    var limit = 50
    var offset = 0

    init(_ query: Hummingbird.Parameters) throws {
        func invalid(_ name: String, _ detail: String) -> Problem {
            Problem(status: .badRequest, rule: "invalid-query", field: name, detail: detail)
        }
        if let text = query["status"] {
            guard let value = CaseStatus(rawValue: String(text)) else {
                throw invalid("status", "one of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = value
        }
        if let text = query["stage"] {
            guard let value = CaseStage(rawValue: String(text)) else {
                throw invalid("stage", "one of \(CaseStage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            stage = value
        }
        returnCountry = query["returnCountry"].map(String.init)
        programmeID = query["programme"].map(String.init)
        if let text = query["deadlineBefore"] {
            guard let date = Instant.parse(String(text)) else { throw invalid("deadlineBefore", "an RFC 3339 instant") }
            deadlineBefore = date
        }
        func name(_ key: String) throws -> String? {
            guard let text = query[Substring(key)].map(String.init) else { return nil }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty, text.count <= 200 else { throw invalid(key, "a name of 1 to 200 characters") }
            return text
        }
        familyName = try name("familyName")
        givenName = try name("givenName")
        if let text = query["dateOfBirth"] {
            guard let date = LocalDate(String(text)) else { throw invalid("dateOfBirth", "a date, YYYY-MM-DD") }
            dateOfBirth = date
        }
        if let text = query["limit"] {
            guard let n = Int(text), (1...500).contains(n) else { throw invalid("limit", "a whole number from 1 to 500") }
            limit = n
        }
        if let text = query["offset"] {
            guard let n = Int(text), n >= 0 else { throw invalid("offset", "a whole number from 0") }
            offset = n
        }
    }

    init() {}
}

struct CaseList: Codable, ResponseEncodable {
    var total: Int
    var cases: [CaseSummary]
}

/// The case list, newest registration first, on indexed columns. A search by name or date
/// of birth compares keyed hashes (`hw_search_all`: under every configured key, so rows
/// hashed before a rotation match too): the names themselves are sealed.
enum CaseSearch {
    static func run(_ filter: CaseFilter, in db: Database) throws -> CaseList {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let status = filter.status { clauses.append("status = ?"); arguments += [status.rawValue] }
        if let stage = filter.stage { clauses.append("stage = ?"); arguments += [stage.rawValue] }
        if let country = filter.returnCountry { clauses.append("return_country = ?"); arguments += [country] }
        if let programme = filter.programmeID { clauses.append("programme_id = ?"); arguments += [programme] }
        if let deadline = filter.deadlineBefore { clauses.append("target_departure_by < ?"); arguments += [deadline.timeIntervalSince1970] }
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
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.case_id, programme_id, status, stage, return_country, registered_at, target_departure_by,
                   (SELECT COUNT(*) FROM intake_traveller t WHERE t.case_id = c.case_id)
            FROM intake_case c \(whereClause) ORDER BY registered_at DESC, case_id LIMIT ? OFFSET ?
            """, arguments: arguments + [filter.limit, filter.offset])
        return CaseList(total: total, cases: rows.map { row in
            CaseSummary(
                caseID: CaseID(row[0] as String), programmeID: row[1], status: CaseStatus(rawValue: row[2]) ?? .active,
                stage: CaseStage(rawValue: row[3]) ?? .intake, returnCountry: row[4], travellers: row[7],
                registeredAt: Date(timeIntervalSince1970: row[5]), targetDepartureBy: (row[6] as Double?).map(Date.init(timeIntervalSince1970:)))
        })
    }
}

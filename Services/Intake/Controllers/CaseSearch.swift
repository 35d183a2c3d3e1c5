import Foundation
import GRDB
import HomewardModel
import HomewardRuntime
import Hummingbird

/// Filters of the case list, from the query string; unknown values are refused by name.
struct CaseFilter {
    /// The query parameters `GET /cases` takes.
    static let parameters = Set(["status", "stage", "returnCountry", "programme", "deadlineBefore", "familyName", "givenName",
                                "dateOfBirth"]).union(PageRequest.parameters)

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
    /// Newest registration first; a page that follows the previous one's `next` has
    /// neither gaps nor repeats while cases are registered.
    var page = PageRequest(limit: 50)

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
        returnCountry = query["returnCountry"].map { $0.uppercased() }  // ISO 3166 codes, whatever case they are sent in
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
        page = try PageRequest(query, shape: { $0.parts.count == 2 && $0.number(0) != nil && $0.text(1) != nil })
    }

    init() {}
}

struct CaseList: Codable, PagedList {
    var total: Int
    var cases: [CaseSummary]
    /// `after` for the next page; absent on the last.
    var next: String?

    /// The list's order: newest registration first, then case id.
    static func key(_ summary: CaseSummary) -> PageKey {
        PageKey(.number(-summary.registeredAt.timeIntervalSince1970), .text(summary.caseID.rawValue))
    }
}

/// The case list, newest registration first, on indexed columns; each partition store
/// gives its first `limit + 1` matches after the cursor and ``merge(_:filter:)`` takes the page. A search by name or date
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
}

extension CaseSearch {
    /// The page `filter` asks for, from every partition store's first matches.
    static func merge(_ lists: [CaseList], filter: CaseFilter) -> CaseList {
        let page = filter.page.page(of: lists.flatMap(\.cases), key: CaseList.key)
        return CaseList(total: lists.reduce(0) { $0 + $1.total }, cases: page.items, next: page.next)
    }
}
